import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SnsEnvelope } from '../domain/sns-envelope.js';
import { newEmailMessageId } from '../kit/mailgun-webhook.js';
import type { SignedRequest } from '../kit/signed-request.js';
import { mediaContentType } from '../kit/twilio-webhook.js';
import { buildSesDelivery, snsDeliveryHeaders } from '../local/ses/ses-delivery.js';
import { CliError, networkError } from './cli-error.js';
import { CHANGE_GATEWAY, discoverStack, type Gateway } from './stack-target.js';

export interface SesWebhookSpec {
  readonly gateway: Gateway;
  readonly from: string;
  readonly to: string;
  readonly subject?: string;
  readonly body: string;
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly attachmentFiles?: readonly string[];
}

function readFile(file: string) {
  try {
    return { filename: basename(file), contentType: mediaContentType(file), bytes: readFileSync(file) };
  } catch {
    throw new CliError(`cannot read attachment ${file}`);
  }
}

/**
 * `send email --provider ses`, against the local stack only (it alone holds the signing key): what SES and SNS do
 * for a received email. Builds the MIME, stores it in the stack's inbound bucket (the receipt rule's S3 action),
 * has the stack's SNS stand-in sign the notification (`POST <sns>/sign`), and returns the delivery to POST.
 */
export async function buildSesWebhook(spec: SesWebhookSpec): Promise<SignedRequest> {
  const stack = await discoverStack(spec.gateway);
  const inbound = stack.sesInbound;
  const s3Endpoint = stack.endpoints.s3;
  const topicArn = inbound?.topicArns[0];
  if (!inbound || !s3Endpoint || !topicArn)
    throw new CliError(`${spec.gateway.url} reports no SES inbound: --provider ses needs the local stack`);
  const messageId = spec.messageId ?? newEmailMessageId(spec.from.split('@')[1] ?? 'example.com');
  const delivery = buildSesDelivery({
    topicArn,
    certificateUrl: inbound.certificateUrl,
    recipient: spec.to,
    source: spec.from,
    bucket: inbound.bucket,
    mime: {
      from: spec.from,
      to: spec.to,
      subject: spec.subject ?? 'Re: your application',
      messageId,
      text: spec.body,
      ...(spec.inReplyTo ? { inReplyTo: spec.inReplyTo } : {}),
      attachments: (spec.attachmentFiles ?? []).map(readFile),
    },
  });
  const object = delivery.object;
  if (object) {
    const s3 = new S3Client({
      endpoint: s3Endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      await s3.send(new PutObjectCommand({ Bucket: object.bucket, Key: object.key, Body: delivery.raw }));
    } catch (error) {
      throw networkError(error, s3Endpoint, CHANGE_GATEWAY);
    } finally {
      s3.destroy();
    }
  }
  const envelope = await signWithLocalSns(inbound.snsUrl, delivery.envelope);
  return {
    url: `${spec.gateway.url}/email`,
    headers: Object.entries(snsDeliveryHeaders(envelope)),
    body: Buffer.from(JSON.stringify(envelope)),
    messageId,
  };
}

/** Has the local SNS stand-in sign a notification envelope, as SNS signs what it delivers. */
export async function signWithLocalSns(snsUrl: string, unsigned: unknown): Promise<SnsEnvelope> {
  try {
    const response = await fetch(`${snsUrl}/sign`, {
      method: 'POST',
      body: JSON.stringify(unsigned),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new CliError(`${snsUrl}/sign answered ${response.status}`);
    return (await response.json()) as SnsEnvelope;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw networkError(error, snsUrl, CHANGE_GATEWAY);
  }
}
