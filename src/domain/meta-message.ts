// zod/mini, as elsewhere on the hot path: the classic API's import cost is paid on every cold start.
import * as z from 'zod/mini';
import { detectOptOut } from './opt-out.js';
import type { InboundMessage } from './types.js';

type MetaMediaKind = 'image' | 'document' | 'audio' | 'video' | 'sticker';
const META_MEDIA_KINDS: readonly MetaMediaKind[] = ['image', 'document', 'audio', 'video', 'sticker'];

/** A media attachment as the webhook names it: fetched later through `GET {graph}/<id>` with the tenant's token. */
export interface MetaMediaRef {
  readonly kind: MetaMediaKind;
  readonly id: string;
  readonly mimeType: string;
  /** As Meta sent it (base64 in webhooks, hex from the media endpoint); checked against the downloaded bytes. */
  readonly sha256?: string;
  readonly filename?: string;
  readonly caption?: string;
}

/** One inbound message of a webhook, normalised; `message.to` is the registry key `meta:<phone_number_id>`. */
export interface MetaMessageItem {
  readonly registryAddress: string;
  readonly phoneNumberId: string;
  readonly message: InboundMessage;
  readonly media?: MetaMediaRef;
  /** The message's `type` when the gateway cannot represent it: the message goes to a human (HandoffQueue). */
  readonly unsupportedType?: string;
  /** Meta's `timestamp` (epoch seconds) as ISO 8601, when present and sane. */
  readonly sentAt?: string;
}

const text = (max: number) => z.string().check(z.maxLength(max));
const id = z.string().check(z.regex(/^[\x21-\x7e]{1,256}$/));
/** A WhatsApp id is the user's phone number in digits (E.164 without `+`). */
export const WA_ID = /^[1-9]\d{6,14}$/;

const base = z.object({
  from: z.string().check(z.regex(WA_ID)),
  id,
  type: z.string().check(z.regex(/^[a-z_]{1,64}$/)),
  timestamp: z.optional(z.string().check(z.regex(/^\d{1,12}$/))),
  context: z.optional(z.object({ id: z.optional(id) })),
});

const mediaPayload = z.object({
  id,
  mime_type: z._default(text(255).check(z.regex(/^[\x20-\x7e]*$/)), 'application/octet-stream'),
  sha256: z.optional(z.string().check(z.regex(/^[A-Za-z0-9+/=]{1,128}$/))),
  filename: z.optional(text(1024)),
  caption: z.optional(text(4096)),
});

const reply = z.object({ id: z.optional(text(256)), title: z.optional(text(1024)) });

const BY_TYPE = {
  text: z.object({ text: z.object({ body: text(4096) }) }),
  interactive: z.object({
    interactive: z.object({
      type: z.enum(['button_reply', 'list_reply']),
      button_reply: z.optional(reply),
      list_reply: z.optional(reply),
    }),
  }),
  button: z.object({ button: z.object({ text: z.optional(text(1024)), payload: z.optional(text(1024)) }) }),
  location: z.object({
    location: z.object({
      latitude: z.number().check(z.minimum(-90), z.maximum(90)),
      longitude: z.number().check(z.minimum(-180), z.maximum(180)),
      name: z.optional(text(1024)),
      address: z.optional(text(1024)),
    }),
  }),
  ...Object.fromEntries(META_MEDIA_KINDS.map((kind) => [kind, z.object({ [kind]: mediaPayload })])),
} as Readonly<Record<string, z.ZodMiniType>>;

export interface MetaMessageContext {
  readonly phoneNumberId: string;
  /** `contacts[]` of the same change: wa_id → profile name. */
  readonly profileNames: ReadonlyMap<string, string>;
}

function isoFromEpochSeconds(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(Number(value) * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

type Fields = Pick<InboundMessage, 'body' | 'button' | 'location'> & { media?: MetaMediaRef };

/** The type-specific part, or undefined when the type is not one the gateway represents (or is malformed). */
function typedFields(type: string, raw: unknown): Fields | undefined {
  const schema = BY_TYPE[type];
  if (!schema) return undefined;
  const parsed = z.safeParse(schema, raw);
  if (!parsed.success) return undefined;
  const data = parsed.data as Record<string, unknown>;
  switch (type) {
    case 'text':
      return { body: (data.text as { body: string }).body };
    case 'interactive': {
      const interactive = data.interactive as {
        type: 'button_reply' | 'list_reply';
        button_reply?: { id?: string; title?: string };
        list_reply?: { id?: string; title?: string };
      };
      const chosen = interactive.type === 'button_reply' ? interactive.button_reply : interactive.list_reply;
      if (!chosen) return undefined;
      return { body: chosen.title ?? '', button: { text: chosen.title, payload: chosen.id } };
    }
    case 'button': {
      const button = data.button as { text?: string; payload?: string };
      return { body: button.text ?? '', button: { text: button.text, payload: button.payload } };
    }
    case 'location': {
      const l = data.location as { latitude: number; longitude: number; name?: string; address?: string };
      return {
        body: '',
        location: {
          latitude: l.latitude,
          longitude: l.longitude,
          ...(l.address !== undefined ? { address: l.address } : {}),
          ...(l.name !== undefined ? { label: l.name } : {}),
        },
      };
    }
    default: {
      const m = data[type] as z.infer<typeof mediaPayload>;
      const media: MetaMediaRef = {
        kind: type as MetaMediaKind,
        id: m.id,
        mimeType: m.mime_type,
        ...(m.sha256 !== undefined ? { sha256: m.sha256 } : {}),
        ...(m.filename !== undefined ? { filename: m.filename } : {}),
        ...(m.caption !== undefined ? { caption: m.caption } : {}),
      };
      return { body: m.caption ?? '', media };
    }
  }
}

/**
 * One element of `value.messages[]` → a channel-neutral message: sender `+<wa_id>`, `messageId` the wamid, text,
 * buttons (interactive replies and template quick replies) in `button`, location, the replied-to message in
 * `original_replied_message_sid`, media as a reference to fetch. Types the gateway cannot represent (reactions,
 * orders, `unsupported`…) keep their sender and id and are flagged, so a human sees them. Undefined only when the
 * message has no usable sender or id: nothing can be keyed or deduplicated on it.
 */
export function normaliseMetaMessage(raw: unknown, context: MetaMessageContext): MetaMessageItem | undefined {
  const parsed = z.safeParse(base, raw);
  if (!parsed.success) return undefined;
  const { from, id: wamid, type, timestamp } = parsed.data;
  const registryAddress = `meta:${context.phoneNumberId}`;
  const fields = typedFields(type, raw);
  const profileName = context.profileNames.get(from);
  const repliedTo = parsed.data.context?.id;
  const body = fields?.body ?? '';
  const optOut = fields && type === 'text' ? detectOptOut(body, undefined) : undefined;
  const sentAt = isoFromEpochSeconds(timestamp);
  const message: InboundMessage = {
    channel: 'whatsapp',
    kind: 'message',
    from: `+${from}`,
    to: registryAddress,
    body,
    messageId: wamid,
    ...(optOut ? { optOut } : {}),
    ...(profileName ? { profile_name: profileName } : {}),
    ...(fields?.button ? { button: fields.button } : {}),
    ...(fields?.location ? { location: fields.location } : {}),
    ...(repliedTo ? { original_replied_message_sid: repliedTo } : {}),
  };
  return {
    registryAddress,
    phoneNumberId: context.phoneNumberId,
    message,
    ...(fields?.media ? { media: fields.media } : {}),
    ...(fields ? {} : { unsupportedType: type }),
    ...(sentAt ? { sentAt } : {}),
  };
}
