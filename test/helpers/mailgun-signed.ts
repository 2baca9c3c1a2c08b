import { randomBytes } from 'node:crypto';
import { AUTHENTICATED_VERDICTS, mailgunSignature } from './mailgun-inbound.js';

export { emailMessageId } from './mailgun-inbound.js';

export interface MailgunFieldsInput {
  readonly recipient: string;
  readonly sender: string;
  readonly messageId: string;
  readonly body?: string;
  readonly subject?: string;
  readonly signingKey: string;
  /** Epoch seconds the request is signed at (the stack's clock, so the ±5 min window holds). */
  readonly nowSeconds: number;
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * Fields of an inbound route post, signed the way Mailgun signs them (fresh token each time). Unlike
 * `mailgun-inbound.ts` this only builds the fields, so callers can break them or send them raw.
 */
export function mailgunFields(input: MailgunFieldsInput): Record<string, string> {
  const timestamp = String(input.nowSeconds);
  const token = randomBytes(25).toString('hex');
  const signature = mailgunSignature(input.signingKey, timestamp, token);
  const body = input.body ?? 'Thanks, see attached.';
  return {
    recipient: input.recipient,
    sender: input.sender,
    from: `Candidate <${input.sender}>`,
    subject: input.subject ?? 'Re: your application',
    'body-plain': body,
    'stripped-text': body,
    'message-headers': JSON.stringify([
      ['Message-Id', input.messageId],
      ['Subject', input.subject ?? 'Re: your application'],
      ...Object.entries(AUTHENTICATED_VERDICTS),
    ]),
    ...AUTHENTICATED_VERDICTS,
    timestamp,
    token,
    signature,
    ...input.extra,
  };
}

/** `multipart/form-data` the way Mailgun posts routes; returns the Content-Type (with boundary) and the bytes. */
export function multipartBody(
  fields: Readonly<Record<string, string>>,
  files: ReadonlyArray<{ name: string; filename: string; contentType: string; data: Buffer }> = [],
): { contentType: string; body: Buffer } {
  const boundary = `----mailgun${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

/** POSTs a Mailgun route webhook (multipart by default). */
export async function postMailgunWebhook(
  url: string,
  fields: Readonly<Record<string, string>>,
  encoding: 'multipart' | 'urlencoded' = 'multipart',
): Promise<{ status: number; body: string }> {
  const { contentType, body } =
    encoding === 'multipart'
      ? multipartBody(fields)
      : {
          contentType: 'application/x-www-form-urlencoded',
          body: Buffer.from(new URLSearchParams(fields).toString()),
        };
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  return { status: response.status, body: await response.text() };
}
