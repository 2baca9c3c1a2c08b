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

export interface ContextInput {
  readonly requestId: string;
  readonly message: InboundMessage;
  readonly conversation: ConversationRecord;
  readonly registry: RegistryEntry;
  readonly sequenceNumber: number;
  /** Email: the attachments as stored before queueing (the message's own list only names them). */
  readonly attachments?: readonly StoredAttachmentItem[];
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
export function dedupeKey(companyId: string, channel: ChannelType, messageId: string): string {
  return `${companyId}#${channel}#${messageId}`;
}

export function buildContextObject(input: ContextInput): ContextObject {
  const { message, conversation, registry } = input;
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
      body: message.body,
      message_id: message.messageId,
      // Twilio sends no timestamp with inbound messages: the gateway's receipt time is the best available.
      timestamp: received,
      ...(message.media ? { media: message.media } : {}),
      ...(message.profile_name ? { profile_name: message.profile_name } : {}),
      ...(message.button ? { button: message.button } : {}),
      ...(message.location ? { location: message.location } : {}),
      ...(message.original_replied_message_sid
        ? { original_replied_message_sid: message.original_replied_message_sid }
        : {}),
      ...(message.email?.subject !== undefined ? { subject: message.email.subject } : {}),
      ...(message.email?.in_reply_to !== undefined ? { in_reply_to: message.email.in_reply_to } : {}),
      ...(message.email || (input.attachments?.length ?? 0) > 0
        ? { attachments: input.attachments ?? [] }
        : {}),
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
