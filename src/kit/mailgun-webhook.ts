import { createHmac, randomBytes } from 'node:crypto';
import { type SignedRequest, wireUrl } from './signed-request.js';

export interface MailgunAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export interface MailgunMessageInput {
  /** The sender's address (`candidate@example.com`). */
  readonly from: string;
  /** The company address the route matched (`replies@mail.cucumber.example`, or `replies+conv-1@…`). */
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly now: Date;
}

export type MailgunEncoding = 'multipart' | 'urlencoded';

const SIGNATURE_FIELDS = ['timestamp', 'token', 'signature'] as const;

export function newEmailMessageId(domain: string): string {
  return `<${randomBytes(12).toString('hex')}@${domain}>`;
}

/** Mailgun's webhook signature: hex HMAC-SHA256 with the webhook signing key over `timestamp + token`. */
export function mailgunSignature(signingKey: string, timestamp: string, token: string): string {
  return createHmac('sha256', signingKey)
    .update(timestamp + token, 'utf8')
    .digest('hex');
}

/** The fields a Mailgun route's `forward()` posts for an inbound message (before the signature fields). */
export function mailgunMessageFields(input: MailgunMessageInput, attachmentCount = 0): [string, string][] {
  const domain = input.from.split('@')[1] ?? 'example.com';
  const messageId = input.messageId ?? newEmailMessageId(domain);
  const date = input.now.toUTCString().replace('GMT', '+0000');
  const headers: [string, string][] = [
    ['From', input.from],
    ['To', input.to],
    ['Subject', input.subject],
    ['Date', date],
    ['Message-Id', messageId],
    ...(input.inReplyTo ? ([['In-Reply-To', input.inReplyTo]] as [string, string][]) : []),
    // Mailgun's verdicts for an authenticated sender; the gateway hands unauthenticated senders to a human.
    ['X-Mailgun-Spf', 'Pass'],
    ['X-Mailgun-Dkim-Check-Result', 'Pass'],
    ['X-Mailgun-Sflag', 'No'],
  ];
  return [
    ['recipient', input.to],
    ['sender', input.from],
    ['from', input.from],
    ['subject', input.subject],
    ['body-plain', input.body],
    ['stripped-text', input.body],
    ['stripped-signature', ''],
    ...headers,
    ['message-headers', JSON.stringify(headers)],
    ...(attachmentCount > 0 ? ([['attachment-count', String(attachmentCount)]] as [string, string][]) : []),
  ];
}

/** Replaces (or adds) `timestamp`, `token` and `signature`: what Mailgun generates afresh for every post. */
export function withMailgunSignature(
  fields: ReadonlyArray<readonly [string, string]>,
  signingKey: string,
  now: Date,
  token: string = randomBytes(25).toString('hex'),
): [string, string][] {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const unsigned = fields.filter(([name]) => !(SIGNATURE_FIELDS as readonly string[]).includes(name));
  return [
    ...unsigned.map(([name, value]): [string, string] => [name, value]),
    ['timestamp', timestamp],
    ['token', token],
    ['signature', mailgunSignature(signingKey, timestamp, token)],
  ];
}

/** Form bytes and Content-Type; multipart through the platform's FormData so boundaries are done right. */
export async function encodeMailgunBody(
  fields: ReadonlyArray<readonly [string, string]>,
  attachments: readonly MailgunAttachment[],
  encoding: MailgunEncoding,
): Promise<{ contentType: string; body: Buffer }> {
  if (encoding === 'urlencoded') {
    if (attachments.length > 0) throw new Error('attachments need the multipart encoding');
    const body = new URLSearchParams(
      fields.map(([name, value]): [string, string] => [name, value]),
    ).toString();
    return { contentType: 'application/x-www-form-urlencoded', body: Buffer.from(body, 'utf8') };
  }
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  attachments.forEach((file, index) => {
    const blob = new Blob([new Uint8Array(file.data)], { type: file.contentType });
    form.append(`attachment-${index + 1}`, blob, file.filename);
  });
  const encoded = new Request('http://mailgun.invalid/', { method: 'POST', body: form });
  return {
    contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
    body: Buffer.from(await encoded.arrayBuffer()),
  };
}

export async function mailgunRequest(
  webhookUrl: string,
  signedFields: ReadonlyArray<readonly [string, string]>,
  attachments: readonly MailgunAttachment[],
  encoding: MailgunEncoding,
): Promise<SignedRequest> {
  const { url, basicAuth } = wireUrl(webhookUrl);
  const { contentType, body } = await encodeMailgunBody(signedFields, attachments, encoding);
  const headers: [string, string][] = [
    ['Content-Type', contentType],
    ['User-Agent', 'mailgun/treq-16.12.0'],
    ['Accept', '*/*'],
  ];
  if (basicAuth) headers.push(['Authorization', basicAuth]);
  const messageId = signedFields.find(([name]) => name === 'Message-Id')?.[1] ?? '';
  return { url, headers, body, messageId };
}
