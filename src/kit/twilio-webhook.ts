import { randomBytes, randomUUID } from 'node:crypto';
import { computeTwilioSignature, type FormParams } from '../domain/twilio-signature.js';
import { type SignedRequest, wireUrl } from './signed-request.js';

export type TwilioChannel = 'whatsapp' | 'sms';

export interface TwilioMessageInput {
  readonly channel: TwilioChannel;
  /** The end user (`+447700900123`; `whatsapp:` is added for WhatsApp). */
  readonly from: string;
  /** The company channel, as registered (`whatsapp:+14155238886`, `+14155550100`). */
  readonly to: string;
  readonly body: string;
  readonly accountSid: string;
  readonly messageSid?: string;
  readonly mediaUrls?: readonly string[];
  readonly profileName?: string;
}

export interface TwilioStatusInput {
  readonly channel: TwilioChannel;
  /** The company channel that sent the message (Twilio's `From` on a status callback). */
  readonly companyChannel: string;
  readonly recipient: string;
  readonly status: string;
  readonly accountSid: string;
  readonly messageSid?: string;
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
  amr: 'audio/amr',
  vcf: 'text/vcard',
};

export function newMessageSid(prefix: 'SM' | 'MM' = 'SM'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

export function twilioAddress(channel: TwilioChannel, address: string): string {
  const bare = address.replace(/^whatsapp:/, '');
  return channel === 'whatsapp' ? `whatsapp:${bare}` : bare;
}

export function mediaContentType(url: string): string {
  const extension = /\.([a-z0-9]+)(?:$|[?#])/i.exec(url)?.[1]?.toLowerCase() ?? '';
  return MEDIA_TYPES[extension] ?? 'application/octet-stream';
}

function whatsappMessageType(mediaUrls: readonly string[]): string {
  const first = mediaUrls[0];
  if (!first) return 'text';
  const type = mediaContentType(first).split('/')[0] ?? '';
  return ['image', 'video', 'audio'].includes(type) ? type : 'document';
}

/** The form fields of an inbound message, named and ordered as Twilio posts them for this channel. */
export function twilioMessageParams(input: TwilioMessageInput): [string, string][] {
  const media = input.mediaUrls ?? [];
  const sid = input.messageSid ?? newMessageSid(media.length > 0 ? 'MM' : 'SM');
  const from = twilioAddress(input.channel, input.from);
  const to = twilioAddress(input.channel, input.to);
  const mediaParams = media.flatMap((url, index): [string, string][] => [
    [`MediaContentType${index}`, mediaContentType(url)],
    [`MediaUrl${index}`, url],
  ]);
  const whatsapp: [string, string][] =
    input.channel === 'whatsapp'
      ? [
          ['ProfileName', input.profileName ?? 'Demo User'],
          ['MessageType', whatsappMessageType(media)],
          ['WaId', from.replace(/^whatsapp:\+/, '')],
        ]
      : [];
  return [
    ['SmsMessageSid', sid],
    ['NumMedia', String(media.length)],
    ...whatsapp,
    ['SmsSid', sid],
    ['SmsStatus', 'received'],
    ['Body', input.body],
    ['To', to],
    ['NumSegments', '1'],
    ...mediaParams,
    ['MessageSid', sid],
    ['AccountSid', input.accountSid],
    ['From', from],
    ['ApiVersion', '2010-04-01'],
  ];
}

/** A message status callback: Twilio reports on a message the company sent, so `From` is the company channel. */
export function twilioStatusParams(input: TwilioStatusInput): [string, string][] {
  const sid = input.messageSid ?? newMessageSid();
  return [
    ['SmsSid', sid],
    ['SmsStatus', input.status],
    ['MessageStatus', input.status],
    ['To', twilioAddress(input.channel, input.recipient)],
    ['MessageSid', sid],
    ['AccountSid', input.accountSid],
    ['From', twilioAddress(input.channel, input.companyChannel)],
    ['ApiVersion', '2010-04-01'],
  ];
}

export function encodeForm(params: FormParams): string {
  return params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

/**
 * Signs like Twilio: base64 HMAC-SHA1 with the Auth Token over the URL (no fragment, no credentials) followed by
 * the sorted parameters. The idempotency token is what Twilio repeats on every retry of one delivery.
 *
 * @example
 * signTwilioRequest('http://127.0.0.1:3000/whatsapp', twilioMessageParams(input), authToken);
 */
export function signTwilioRequest(
  webhookUrl: string,
  params: FormParams,
  authToken: string,
  idempotencyToken: string = randomUUID(),
): SignedRequest {
  const { url, basicAuth } = wireUrl(webhookUrl);
  const headers: [string, string][] = [
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['X-Twilio-Signature', computeTwilioSignature(url, params, authToken)],
    ['I-Twilio-Idempotency-Token', idempotencyToken],
    ['User-Agent', 'TwilioProxy/1.1'],
    ['Accept', '*/*'],
  ];
  if (basicAuth) headers.push(['Authorization', basicAuth]);
  const messageId = params.find(([name]) => name === 'MessageSid')?.[1] ?? '';
  return { url, headers, body: Buffer.from(encodeForm(params), 'utf8'), messageId };
}
