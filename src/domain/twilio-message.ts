// zod/mini: the same validation core as `zod`, without the per-schema method objects that made the classic API
// cost ~25 ms of every Lambda cold start (bench/cold-start.ts).
import * as z from 'zod/mini';
import { BadRequestError } from './errors.js';
import { singleValued } from './form-body.js';
import { detectOptOut } from './opt-out.js';
import type { FormParams } from './twilio-signature.js';
import type { InboundMessage, MediaItem } from './types.js';

export type TwilioChannel = 'whatsapp' | 'sms';

const E164 = /^\+[1-9]\d{6,14}$/;
const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
const CORE_FIELDS = ['From', 'To', 'AccountSid', 'MessageSid', 'Body', 'NumMedia', 'MessageStatus'];
const MAX_MEDIA = 10;

function address(channel: TwilioChannel) {
  const pattern = channel === 'whatsapp' ? /^whatsapp:\+[1-9]\d{6,14}$/ : E164;
  const example = channel === 'whatsapp' ? 'whatsapp:+447700900123' : '+447700900123';
  return z.string().check(z.regex(pattern, `must look like ${example}`));
}

function inboundSchema(channel: TwilioChannel) {
  return z
    .object({
      From: address(channel),
      To: address(channel),
      AccountSid: z.string().check(z.regex(SID('AC'), 'must be an Account SID (AC + 32 hex)')),
      MessageSid: z
        .string()
        .check(z.regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/, 'must be a Message SID (34 characters)')),
      Body: z.optional(z.string().check(z.maxLength(4096, 'is longer than 4096 characters'))),
      NumMedia: z.optional(z.string().check(z.regex(/^\d{1,2}$/, 'must be a small number'))),
    })
    .check(
      z.refine((p) => p.Body !== undefined || Number(p.NumMedia ?? 0) > 0, {
        path: ['Body'],
        message: 'required unless NumMedia > 0',
      }),
    );
}

// Built once per channel: zod 4 compiles a schema on its first parse (~0.3 ms), so a schema built per request
// cost more than everything else on the hot path together.
const INBOUND_SCHEMAS = { whatsapp: inboundSchema('whatsapp'), sms: inboundSchema('sms') } as const;

const statusSchema = z.object({
  MessageSid: z.string().check(z.regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/, 'must be a Message SID (34 characters)')),
  AccountSid: z.string().check(z.regex(SID('AC'), 'must be an Account SID (AC + 32 hex)')),
  MessageStatus: z
    .string()
    .check(z.minLength(1, 'must not be empty'), z.maxLength(32, 'is longer than 32 characters')),
});

/** The company-side address to look the registry up by, before anything is verified. */
export function twilioRegistryAddress(params: FormParams): string {
  const record = singleValued(params, CORE_FIELDS);
  // Status callbacks describe messages *we* sent: the company number is `From` there.
  const key = record.MessageStatus !== undefined ? 'From' : 'To';
  const value = record[key];
  if (value === undefined || value.length === 0) throw new BadRequestError(`Missing field: ${key}`);
  return value;
}

function fail(error: z.core.$ZodError): never {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || 'body';
  if (issue?.code === 'custom') throw new BadRequestError(`Missing field: ${field} (${issue.message})`);
  const missing = issue?.code === 'invalid_type' && issue.input === undefined;
  throw new BadRequestError(
    missing ? `Missing field: ${field}` : `Invalid field ${field}: ${issue?.message}`,
  );
}

function media(record: Record<string, string>, count: number): MediaItem[] {
  const items: MediaItem[] = [];
  for (let i = 0; i < Math.min(count, MAX_MEDIA); i++) {
    const url = record[`MediaUrl${i}`];
    if (url) items.push({ url, content_type: record[`MediaContentType${i}`] ?? 'application/octet-stream' });
  }
  return items;
}

function optionalNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * Validates a *verified* Twilio webhook and turns it into a channel-neutral message.
 * `expectedAccountSid` comes from the secret: a webhook signed with our token but naming another account is refused.
 */
export function normaliseTwilio(
  channel: TwilioChannel,
  params: FormParams,
  expectedAccountSid: string | undefined,
): InboundMessage {
  const record = singleValued(params, CORE_FIELDS);
  if (record.MessageStatus !== undefined) {
    const parsed = statusSchema.safeParse(record);
    if (!parsed.success) fail(parsed.error);
    checkAccount(parsed.data.AccountSid, expectedAccountSid);
    return {
      channel,
      kind: 'status',
      from: stripPrefix(record.To ?? ''),
      to: record.From ?? '',
      body: '',
      messageId: parsed.data.MessageSid,
      status: {
        message_status: parsed.data.MessageStatus,
        ...(record.ErrorCode ? { error_code: record.ErrorCode } : {}),
      },
    };
  }
  const parsed = INBOUND_SCHEMAS[channel].safeParse(record);
  if (!parsed.success) fail(parsed.error);
  const p = parsed.data;
  checkAccount(p.AccountSid, expectedAccountSid);
  const body = p.Body ?? '';
  const mediaItems = media(record, Number(p.NumMedia ?? 0));
  const latitude = optionalNumber(record.Latitude);
  const longitude = optionalNumber(record.Longitude);
  const optOut = detectOptOut(body, record.OptOutType);
  return {
    channel,
    kind: 'message',
    from: stripPrefix(p.From),
    to: p.To,
    body,
    messageId: p.MessageSid,
    ...(optOut ? { optOut } : {}),
    ...(mediaItems.length > 0 ? { media: mediaItems } : {}),
    ...(record.ProfileName ? { profile_name: record.ProfileName } : {}),
    ...(record.ButtonText || record.ButtonPayload
      ? { button: { text: record.ButtonText, payload: record.ButtonPayload } }
      : {}),
    ...(latitude !== undefined && longitude !== undefined
      ? { location: { latitude, longitude, address: record.Address, label: record.Label } }
      : {}),
    ...(record.OriginalRepliedMessageSid
      ? { original_replied_message_sid: record.OriginalRepliedMessageSid }
      : {}),
  };
}

function checkAccount(actual: string, expected: string | undefined): void {
  if (expected !== undefined && actual !== expected) {
    throw new BadRequestError('Invalid field AccountSid: does not match the account of this channel');
  }
}

/** `whatsapp:+1415…` → `+1415…`: conversations are keyed by the bare E.164 number. */
function stripPrefix(address: string): string {
  return address.startsWith('whatsapp:') ? address.slice('whatsapp:'.length) : address;
}
