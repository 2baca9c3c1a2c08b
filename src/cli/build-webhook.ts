import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  type MailgunAttachment,
  type MailgunEncoding,
  mailgunMessageFields,
  mailgunRequest,
  withMailgunSignature,
} from '../kit/mailgun-webhook.js';
import type { SignedRequest } from '../kit/signed-request.js';
import {
  mediaContentType,
  signTwilioRequest,
  twilioMessageParams,
  twilioStatusParams,
} from '../kit/twilio-webhook.js';
import type { ChannelType } from '../resources.js';
import { CliError } from './cli-error.js';
import { type CredentialOptions, mailgunSigningKey, twilioCredentials } from './credentials.js';
import { storeNotifyRequest } from './store-notify.js';

export interface WebhookSpec {
  readonly channel: ChannelType;
  readonly webhookUrl: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly messageId?: string;
  readonly mediaUrls?: readonly string[];
  readonly attachmentFiles?: readonly string[];
  readonly subject?: string;
  readonly inReplyTo?: string;
  readonly status?: string;
  readonly profileName?: string;
  readonly encoding?: MailgunEncoding;
  /** Email: store the message in the local Mailgun storage and post the store(notify) notification instead. */
  readonly storeNotify?: boolean;
  readonly credentials: CredentialOptions;
  readonly now: Date;
  readonly idempotencyToken?: string;
}

function readAttachment(file: string): MailgunAttachment {
  try {
    return { filename: basename(file), contentType: mediaContentType(file), data: readFileSync(file) };
  } catch {
    throw new CliError(`cannot read attachment ${file}`);
  }
}

/** Builds and signs the request `send` and `simulate` post, exactly as Twilio or Mailgun would. */
export async function buildWebhook(spec: WebhookSpec): Promise<SignedRequest> {
  if (spec.channel === 'email') {
    const attachments = (spec.attachmentFiles ?? []).map(readAttachment);
    const fields = mailgunMessageFields(
      {
        from: spec.from,
        to: spec.to,
        subject: spec.subject ?? 'Re: your application',
        body: spec.body,
        now: spec.now,
        ...(spec.messageId ? { messageId: spec.messageId } : {}),
        ...(spec.inReplyTo ? { inReplyTo: spec.inReplyTo } : {}),
      },
      attachments.length,
    );
    if (spec.storeNotify) {
      return storeNotifyRequest({
        webhookUrl: spec.webhookUrl,
        to: spec.to,
        fields,
        attachments,
        credentials: spec.credentials,
        now: spec.now,
      });
    }
    const signed = withMailgunSignature(fields, mailgunSigningKey(spec.to, spec.credentials), spec.now);
    const encoding = spec.encoding ?? (attachments.length > 0 ? 'multipart' : 'urlencoded');
    if (encoding === 'urlencoded' && attachments.length > 0)
      throw new CliError('attachments need --encoding multipart');
    return mailgunRequest(spec.webhookUrl, signed, attachments, encoding);
  }
  const { authToken, accountSid } = twilioCredentials(spec.channel, spec.to, spec.credentials);
  const params = spec.status
    ? twilioStatusParams({
        channel: spec.channel,
        companyChannel: spec.to,
        recipient: spec.from,
        status: spec.status,
        accountSid,
        ...(spec.messageId ? { messageSid: spec.messageId } : {}),
      })
    : twilioMessageParams({
        channel: spec.channel,
        from: spec.from,
        to: spec.to,
        body: spec.body,
        accountSid,
        ...(spec.messageId ? { messageSid: spec.messageId } : {}),
        ...(spec.mediaUrls?.length ? { mediaUrls: spec.mediaUrls } : {}),
        ...(spec.profileName ? { profileName: spec.profileName } : {}),
      });
  return signTwilioRequest(spec.webhookUrl, params, authToken, spec.idempotencyToken);
}
