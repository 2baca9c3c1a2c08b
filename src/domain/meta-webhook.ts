import * as z from 'zod/mini';
import { BadRequestError, PayloadTooLargeError } from './errors.js';
import { jsonNestingWithin } from './json-nesting.js';
import { type MetaMessageItem, normaliseMetaMessage, WA_ID } from './meta-message.js';
import { META_MAX_BODY_BYTES } from './meta-signature.js';
import { parseUntrustedJson } from './parse-untrusted-json.js';
import type { InboundMessage } from './types.js';

export type { MetaMessageItem } from './meta-message.js';

/** A delivery receipt (`value.statuses[]`): recorded, never queued for the AI. */
export interface MetaStatusItem {
  readonly registryAddress: string;
  readonly phoneNumberId: string;
  /** `kind: 'status'`, `messageId` the wamid of the message we sent, `from` `+<recipient_id>`. */
  readonly message: InboundMessage;
}

export interface MetaWebhookItems {
  /** Every `entry[].changes[].value.messages[]`, in order: one context each. */
  readonly messages: readonly MetaMessageItem[];
  readonly statuses: readonly MetaStatusItem[];
  /** Messages or statuses without a usable id or sender (nothing to key them on); count and log them. */
  readonly skipped: number;
}

/** Meta sends at most 1,000 updates per POST; the bound also caps the work one request can cause. */
const META_MAX_ITEMS = 1000;
/** The deepest legitimate payload nests 8 levels (entry → changes → value → messages → interactive → reply). */
const MAX_NESTING = 16;

// Counted across the whole webhook below (a per-list bound would skip an oversized list silently).
const list = z.optional(z.array(z.unknown()));

const envelope = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(
      z.object({
        changes: z._default(
          z
            .array(z.object({ field: z.optional(z.string()), value: z.optional(z.unknown()) }))
            .check(z.maxLength(META_MAX_ITEMS)),
          [],
        ),
      }),
    )
    .check(z.maxLength(META_MAX_ITEMS)),
});

const value = z.object({
  metadata: z.object({ phone_number_id: z.string().check(z.regex(/^\d{1,32}$/)) }),
  contacts: list,
  messages: list,
  statuses: list,
});

const contact = z.object({
  wa_id: z.string().check(z.regex(WA_ID)),
  profile: z.optional(z.object({ name: z.optional(z.string().check(z.maxLength(1024))) })),
});

const status = z.object({
  id: z.string().check(z.regex(/^[\x21-\x7e]{1,256}$/)),
  status: z.string().check(z.regex(/^[a-z_]{1,32}$/)),
  recipient_id: z.optional(z.string().check(z.regex(WA_ID))),
  errors: z.optional(z.array(z.object({ code: z.optional(z.number()) })).check(z.maxLength(16))),
});

function profileNames(contacts: readonly unknown[] | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const raw of contacts ?? []) {
    const parsed = z.safeParse(contact, raw);
    const name = parsed.success ? parsed.data.profile?.name : undefined;
    if (parsed.success && name) names.set(parsed.data.wa_id, name);
  }
  return names;
}

function normaliseStatus(raw: unknown, phoneNumberId: string): MetaStatusItem | undefined {
  const parsed = z.safeParse(status, raw);
  if (!parsed.success) return undefined;
  const registryAddress = `meta:${phoneNumberId}`;
  const errorCode = parsed.data.errors?.[0]?.code;
  return {
    registryAddress,
    phoneNumberId,
    message: {
      channel: 'whatsapp',
      kind: 'status',
      from: parsed.data.recipient_id ? `+${parsed.data.recipient_id}` : '',
      to: registryAddress,
      body: '',
      messageId: parsed.data.id,
      status: {
        message_status: parsed.data.status,
        ...(errorCode !== undefined ? { error_code: String(errorCode) } : {}),
      },
    },
  };
}

/**
 * A *verified* Meta webhook body → every message and status it carries, across all entries and changes (reading
 * only `entry[0].changes[0].messages[0]` is how integrations lose messages). Bounded before parsing: size, then
 * nesting depth, then item counts. Changes of other fields (template or account updates) are ignored. A body that
 * is not a WhatsApp Business Account webhook is a 400; one bad message does not cost the others.
 */
export function parseMetaWebhook(rawBody: string): MetaWebhookItems {
  if (Buffer.byteLength(rawBody, 'utf8') > META_MAX_BODY_BYTES)
    throw new PayloadTooLargeError('Payload too large');
  if (!jsonNestingWithin(rawBody, MAX_NESTING))
    throw new BadRequestError('Malformed JSON body: nested too deeply');
  const parsed = z.safeParse(envelope, parseUntrustedJson(rawBody, 'Malformed JSON body'));
  if (!parsed.success) throw new BadRequestError('Not a WhatsApp Business Account webhook');
  const messages: MetaMessageItem[] = [];
  const statuses: MetaStatusItem[] = [];
  let skipped = 0;
  let seen = 0;
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== undefined && change.field !== 'messages') continue;
      const changeValue = z.safeParse(value, change.value);
      if (!changeValue.success) {
        skipped++;
        continue;
      }
      const { metadata, contacts } = changeValue.data;
      const names = profileNames(contacts);
      const rawMessages = changeValue.data.messages ?? [];
      const rawStatuses = changeValue.data.statuses ?? [];
      seen += rawMessages.length + rawStatuses.length;
      if (seen > META_MAX_ITEMS) throw new PayloadTooLargeError('Too many updates in one webhook');
      for (const raw of rawMessages) {
        const item = normaliseMetaMessage(raw, {
          phoneNumberId: metadata.phone_number_id,
          profileNames: names,
        });
        if (item) messages.push(item);
        else skipped++;
      }
      for (const raw of rawStatuses) {
        const item = normaliseStatus(raw, metadata.phone_number_id);
        if (item) statuses.push(item);
        else skipped++;
      }
    }
  }
  return { messages, statuses, skipped };
}
