import { sendHttp } from '../kit/http-request.js';
import { encodeMailgunBody, type MailgunAttachment, withMailgunSignature } from '../kit/mailgun-webhook.js';
import type { SignedRequest } from '../kit/signed-request.js';
import { CliError, networkError } from './cli-error.js';
import { type CredentialOptions, mailgunApiKey, mailgunSigningKey } from './credentials.js';
import { CHANGE_GATEWAY } from './stack-target.js';

export interface StoreNotifyInput {
  /** The webhook URL (`…/email`); the local Mailgun storage API is `<its origin>/_local/mailgun`. */
  readonly webhookUrl: string;
  readonly to: string;
  /** The route fields `forward()` would post (unsigned). */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly attachments: readonly MailgunAttachment[];
  readonly credentials: CredentialOptions;
  readonly now: Date;
}

/**
 * `send email --store-notify`: what a Mailgun `store(notify=…)` route does, against the local stack. The message is
 * handed to the stack's Mailgun storage API (as Mailgun stores it), then the small signed urlencoded notification
 * (`message-url` and the `attachments` list of storage URLs) is what gets posted to /email.
 */
export async function storeNotifyRequest(input: StoreNotifyInput): Promise<SignedRequest> {
  const url = new URL(input.webhookUrl);
  const domain = input.to.split('@')[1] ?? '';
  const storeUrl = `${url.origin}/_local/mailgun/v3/domains/${encodeURIComponent(domain)}/messages`;
  const { contentType, body } = await encodeMailgunBody(input.fields, input.attachments, 'multipart');
  const apiKey = mailgunApiKey(input.to, input.credentials);
  let stored: { status: number; body: string };
  try {
    stored = await sendHttp({
      url: storeUrl,
      headers: [
        ['Content-Type', contentType],
        ['Authorization', `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`],
      ],
      body,
      connectTimeoutMs: 5000,
    });
  } catch (error) {
    throw networkError(error, storeUrl, CHANGE_GATEWAY);
  }
  if (stored.status !== 200) {
    throw new CliError(
      `the local Mailgun storage answered ${stored.status}: --store-notify needs the local stack (npm start)`,
    );
  }
  const refs = JSON.parse(stored.body) as { 'message-url': string; attachments: string };
  const notification = withMailgunSignature(
    [
      ...input.fields.filter(([name]) => name !== 'attachment-count'),
      ['domain', domain],
      ['message-url', refs['message-url']],
      ['attachments', refs.attachments],
    ],
    mailgunSigningKey(input.to, input.credentials),
    input.now,
  );
  const encoded = await encodeMailgunBody(notification, [], 'urlencoded');
  const messageId = notification.find(([name]) => name === 'Message-Id')?.[1] ?? '';
  return {
    url: input.webhookUrl,
    headers: [
      ['Content-Type', encoded.contentType],
      ['User-Agent', 'mailgun/treq-16.12.0'],
    ],
    body: encoded.body,
    messageId,
  };
}
