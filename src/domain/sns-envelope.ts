import { BadRequestError, PayloadTooLargeError } from './errors.js';
import { parseUntrustedJson } from './parse-untrusted-json.js';

/**
 * Amazon SNS HTTP/S delivery envelope (the JSON body SNS POSTs as `text/plain; charset=UTF-8`), parsed with bounds
 * before anything is verified. Field names and the string to sign follow AWS's "Verifying the signatures of Amazon
 * SNS messages" (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html).
 */
type SnsMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
const SNS_MESSAGE_TYPES: readonly SnsMessageType[] = [
  'Notification',
  'SubscriptionConfirmation',
  'UnsubscribeConfirmation',
];

export interface SnsEnvelope {
  readonly Type: SnsMessageType;
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: '1' | '2';
  readonly Signature: string;
  readonly SigningCertURL: string;
  readonly Subject?: string;
  readonly SubscribeURL?: string;
  readonly Token?: string;
  readonly UnsubscribeURL?: string;
}

/**
 * SNS messages are at most 256 KiB; JSON escaping of a UTF-8 SES `content` (CR LF → `\r\n`) can double that, and
 * the envelope adds ~1 KiB. Bigger bodies are not SNS deliveries.
 */
export const MAX_SNS_BODY_BYTES = 600 * 1024;
const MAX_MESSAGE_CHARS = 580 * 1024;
const MAX_URL_CHARS = 2048;
const MAX_FIELD_CHARS = 1024;
const MAX_TOKEN_CHARS = 2048;
// RSA-4096 signatures are 512 bytes → 684 base64 characters; SNS uses 2048-bit keys today.
const MAX_SIGNATURE_CHARS = 700;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

const FIELD_LIMITS: Readonly<Record<string, number>> = {
  Type: 64,
  MessageId: 256,
  TopicArn: 512,
  Message: MAX_MESSAGE_CHARS,
  Timestamp: 64,
  SignatureVersion: 8,
  Signature: MAX_SIGNATURE_CHARS,
  SigningCertURL: MAX_URL_CHARS,
  Subject: MAX_FIELD_CHARS,
  SubscribeURL: MAX_URL_CHARS,
  UnsubscribeURL: MAX_URL_CHARS,
  Token: MAX_TOKEN_CHARS,
};

const REQUIRED = ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature'];

function bad(message: string): never {
  throw new BadRequestError(message);
}

/**
 * Parses the body of an SNS delivery. `headerType` is `x-amz-sns-message-type`; it must agree with `Type`, so a
 * request cannot be routed as one type and signed as another.
 *
 * @example
 * const envelope = parseSnsEnvelope(request.body, request.headers['x-amz-sns-message-type']);
 */
export function parseSnsEnvelope(body: string, headerType: string | undefined): SnsEnvelope {
  if (Buffer.byteLength(body, 'utf8') > MAX_SNS_BODY_BYTES) {
    throw new PayloadTooLargeError('SNS message too large');
  }
  if (!SNS_MESSAGE_TYPES.includes(headerType as SnsMessageType)) bad('Unknown SNS message type');
  const raw = parseUntrustedJson(body, 'SNS message is not JSON');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('SNS message is not an object');
  const fields = raw as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [name, limit] of Object.entries(FIELD_LIMITS)) {
    const value = fields[name];
    // SNS sends `"Subject": null` on some deliveries; absent and null mean the same.
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') bad(`SNS field ${name} must be a string`);
    if (value.length > limit) bad(`SNS field ${name} too long`);
    out[name] = value;
  }
  for (const name of REQUIRED) if (out[name] === undefined) bad(`SNS field ${name} missing`);
  if (out.Type !== headerType) bad('SNS message type does not match its header');
  const certUrl = out.SigningCertURL ?? fields.SigningCertUrl;
  // AWS spells it SigningCertURL in notifications and SigningCertUrl in some documentation samples.
  if (typeof certUrl !== 'string' || certUrl.length > MAX_URL_CHARS) bad('SNS field SigningCertURL missing');
  if (out.SignatureVersion !== '1' && out.SignatureVersion !== '2') bad('Unsupported SNS SignatureVersion');
  if (!BASE64.test(out.Signature ?? '')) bad('SNS signature is not base64');
  if (!ISO_TIMESTAMP.test(out.Timestamp ?? '')) bad('SNS timestamp is not ISO-8601');
  if (out.Type !== 'Notification' && (out.SubscribeURL === undefined || out.Token === undefined)) {
    bad('SNS subscription message lacks SubscribeURL or Token');
  }
  return { ...out, SigningCertURL: certUrl } as unknown as SnsEnvelope;
}

/**
 * AWS's string to sign: `Name\nValue\n` for each field, in this order. Notification: Message, MessageId, Subject
 * (only when present), Timestamp, TopicArn, Type. Subscription and unsubscribe confirmations: Message, MessageId,
 * SubscribeURL, Timestamp, Token, TopicArn, Type.
 */
export function snsStringToSign(envelope: SnsEnvelope): string {
  const names =
    envelope.Type === 'Notification'
      ? [
          'Message',
          'MessageId',
          ...(envelope.Subject !== undefined ? ['Subject'] : []),
          'Timestamp',
          'TopicArn',
        ]
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn'];
  const values = envelope as unknown as Record<string, string>;
  return [...names, 'Type'].map((name) => `${name}\n${values[name] ?? ''}\n`).join('');
}
