import { BODY_BOUND_BYTES, bounded, cutToJsonBytes, FIELD_BOUND_BYTES as F } from './context-bounds.js';
import type { HandoffReason } from './decide-route.js';
import type {
  ChannelType,
  ConversationRecord,
  InboundMessage,
  MediaItem,
  RegistryEntry,
  StoredAttachmentItem,
} from './types.js';

/** Seed §4.2, version 1.0 (CONTRACT: schemas/context-object.v1.json). Additions are optional fields only. */
export interface ContextObject {
  meta: {
    request_id: string;
    channel_type: ChannelType;
    timestamp: string;
    version: '1.0';
    /** Unique across tenants: one email sent to two companies is two messages (see `dedupeKey`). */
    dedupe_key: string;
  };
  conversation: {
    conversation_id: string;
    primary_channel: string;
    conversation_status: string;
    hand_off_to_human: boolean;
    sequence_number?: number;
    opted_out?: boolean;
  };
  message: {
    from: string;
    to: string;
    body: string;
    message_id: string;
    timestamp: string;
    media?: readonly MediaItem[];
    profile_name?: string;
    button?: { text?: string; payload?: string };
    location?: { latitude: number; longitude: number; address?: string; label?: string };
    original_replied_message_sid?: string;
    subject?: string;
    in_reply_to?: string;
    attachments?: readonly StoredAttachmentItem[];
    /** Email: attachments the gateway did not store (over the per-message limit, or a scan that was not clean). */
    dropped_attachments?: number;
    /** The body above was cut to `BODY_BOUND_BYTES`; the whole text is `full_body`. */
    body_truncated?: true;
    /** The whole body, stored like an attachment (UTF-8 text) because it was too long for the queue. */
    full_body?: StoredObject;
    /** The raw email as the provider stored it, when it could not be processed here (too large, unparseable). */
    raw_email?: { size: number; s3: { bucket: string; key: string } };
  };
  company: { company_id: string; project_id: string; company_name: string; credentials_reference: string };
  processing: {
    validation_status: 'valid';
    ai_response: null;
    sent_response: null;
    processing_timestamps: { received: string; validated: string; queued: string };
    route?: 'ai' | 'handoff';
    handoff_reason?: HandoffReason;
  };
}

/** An object stored in S3 with its size and the SHA-256 (hex) of its bytes, as attachments are. */
export interface StoredObject {
  readonly size: number;
  readonly sha256: string;
  readonly s3: { readonly bucket: string; readonly key: string };
}

export interface ContextInput {
  readonly requestId: string;
  readonly message: InboundMessage;
  readonly conversation: ConversationRecord;
  readonly registry: RegistryEntry;
  readonly sequenceNumber: number;
  /** Email: the attachments as stored before queueing (the message's own list only names them). */
  readonly attachments?: readonly StoredAttachmentItem[];
  /** The whole body, stored because it exceeds `BODY_BOUND_BYTES` (`storeFullBody`); the context then cuts it. */
  readonly fullBody?: StoredObject;
  /** The raw email's reference when it was handed off unprocessed. */
  readonly rawEmail?: {
    readonly size: number;
    readonly s3: { readonly bucket: string; readonly key: string };
  };
  readonly route: 'ai' | 'handoff';
  readonly handoffReason?: HandoffReason;
  readonly optedOut?: boolean;
  readonly receivedAt: Date;
  readonly validatedAt: Date;
  readonly queuedAt: Date;
}

/**
 * What consumers dedupe on: company + channel + provider id. A provider id alone is not unique across tenants
 * (one email sent to two companies carries one Message-Id), so it must never be the key on its own.
 */
function dedupeKey(companyId: string, channel: ChannelType, messageId: string): string {
  return `${companyId}#${channel}#${messageId}`;
}

/**
 * Seed §4.2 context, every free-text field bounded (`context-bounds.ts`) so it always fits one SQS message: a long
 * body is cut and marked `body_truncated` (its whole text is `fullBody`, stored before this is called).
 */
export function buildContextObject(input: ContextInput): ContextObject {
  const { message, conversation, registry } = input;
  const body = cutToJsonBytes(message.body, BODY_BOUND_BYTES);
  const received = input.receivedAt.toISOString();
  const optedOut = input.optedOut ?? conversation.opted_out;
  const companyId = conversation.company_id ?? registry.company_id;
  return {
    meta: {
      request_id: input.requestId,
      channel_type: message.channel,
      timestamp: received,
      version: '1.0',
      dedupe_key: dedupeKey(companyId, message.channel, message.messageId),
    },
    conversation: {
      conversation_id: conversation.conversation_id,
      primary_channel: conversation.primary_channel,
      conversation_status: conversation.conversation_status,
      hand_off_to_human: conversation.hand_off_to_human,
      sequence_number: input.sequenceNumber,
      ...(optedOut !== undefined ? { opted_out: optedOut } : {}),
    },
    message: {
      from: message.from,
      to: message.to,
      body: body.text,
      message_id: message.messageId,
      // Twilio sends no timestamp with inbound messages: the gateway's receipt time is the best available.
      timestamp: received,
      ...(message.media ? { media: message.media.map(boundedMedia) } : {}),
      ...(message.profile_name ? { profile_name: bounded(message.profile_name, F.profileName) } : {}),
      ...(message.button ? { button: boundedButton(message.button) } : {}),
      ...(message.location ? { location: boundedLocation(message.location) } : {}),
      ...(message.original_replied_message_sid
        ? { original_replied_message_sid: bounded(message.original_replied_message_sid, F.repliedMessageSid) }
        : {}),
      ...(message.email?.subject !== undefined ? { subject: bounded(message.email.subject, F.subject) } : {}),
      ...(message.email?.in_reply_to !== undefined
        ? { in_reply_to: bounded(message.email.in_reply_to, F.inReplyTo) }
        : {}),
      // Email always lists its attachments (maybe none); WhatsApp only when media was stored.
      ...(message.email || (input.attachments?.length ?? 0) > 0
        ? { attachments: (input.attachments ?? []).map(boundedAttachment) }
        : {}),
      ...(message.email?.dropped_attachments
        ? { dropped_attachments: message.email.dropped_attachments }
        : {}),
      ...(body.cut ? { body_truncated: true as const } : {}),
      ...(body.cut && input.fullBody ? { full_body: storedObject(input.fullBody) } : {}),
      ...(input.rawEmail ? { raw_email: { size: input.rawEmail.size, s3: { ...input.rawEmail.s3 } } } : {}),
    },
    company: {
      company_id: companyId,
      project_id: conversation.project_id ?? registry.project_id,
      company_name: conversation.company_name ?? registry.company_name,
      credentials_reference: conversation.credentials_reference ?? registry.credentials_reference,
    },
    processing: {
      validation_status: 'valid',
      ai_response: null,
      sent_response: null,
      processing_timestamps: {
        received,
        validated: input.validatedAt.toISOString(),
        queued: input.queuedAt.toISOString(),
      },
      route: input.route,
      ...(input.handoffReason ? { handoff_reason: input.handoffReason } : {}),
    },
  };
}

function boundedMedia(item: MediaItem): MediaItem {
  return {
    url: bounded(item.url, F.mediaUrl),
    content_type: bounded(item.content_type, F.contentType),
    // Meta's media ids are ≤ 256 printable characters (parser) and the reasons a short enum.
    ...(item.media_id !== undefined ? { media_id: bounded(item.media_id, F.contentType) } : {}),
    ...(item.stored !== undefined ? { stored: item.stored } : {}),
    ...(item.not_stored_reason !== undefined ? { not_stored_reason: item.not_stored_reason } : {}),
  };
}

function boundedAttachment(item: StoredAttachmentItem): StoredAttachmentItem {
  return {
    ...item,
    filename: bounded(item.filename, F.filename),
    content_type: bounded(item.content_type, F.contentType),
  };
}

function boundedButton(button: NonNullable<InboundMessage['button']>): { text?: string; payload?: string } {
  return {
    ...(button.text !== undefined ? { text: bounded(button.text, F.buttonText) } : {}),
    ...(button.payload !== undefined ? { payload: bounded(button.payload, F.buttonPayload) } : {}),
  };
}

function boundedLocation(
  location: NonNullable<InboundMessage['location']>,
): ContextObject['message']['location'] {
  return {
    latitude: location.latitude,
    longitude: location.longitude,
    ...(location.address !== undefined ? { address: bounded(location.address, F.locationText) } : {}),
    ...(location.label !== undefined ? { label: bounded(location.label, F.locationText) } : {}),
  };
}

function storedObject({ size, sha256, s3 }: StoredObject): StoredObject {
  return { size, sha256, s3: { bucket: s3.bucket, key: s3.key } };
}
