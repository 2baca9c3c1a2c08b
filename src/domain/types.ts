import type { ChannelType } from './channel.js';
import type { MailgunApiHost } from './mailgun-api-host.js';
import type { Provider } from './provider.js';
import type { SenderVerdict } from './sender-verdict.js';

export type { ChannelType };

/** A company-side address in the channel registry (CONTRACT: architecture.md, data model). */
export interface RegistryEntry {
  readonly channel_address: string;
  readonly channel_type: ChannelType;
  readonly company_id: string;
  readonly project_id: string;
  readonly company_name: string;
  readonly credentials_reference: string;
  readonly fallback_content_sid?: string;
  readonly fallback_message?: string;
  readonly website_url?: string;
  readonly contact_phone?: string;
  readonly from_address?: string;
  readonly messaging_service_sid?: string;
  /**
   * Email only: the provider account adds no SPF/DKIM verdicts, so absent verdicts count as unknown-but-allowed
   * (logged and counted) instead of unverified. Off unless set.
   */
  readonly allow_absent_sender_verdicts?: boolean;
  /**
   * Which provider receives and answers this address. Email: `ses` (inbound through SNS, only such entries receive
   * SES mail; the fallback through SESv2), absent or `mailgun`: Mailgun. WhatsApp: `meta` (`meta:<phone_number_id>`
   * entries, Graph API replies), absent or `twilio`: Twilio.
   */
  readonly provider?: Provider;
  /**
   * Mailgun only: the regional API host of the tenant's Mailgun account (`api.mailgun.net` when absent, or
   * `api.eu.mailgun.net`); stored messages are fetched and fallbacks sent there.
   */
  readonly mailgun_api_host?: MailgunApiHost;
}

/** Delivery receipts recorded on the conversation item: >0 in progress until (epoch ms), <0 done at (-epoch ms). */
export type ReceiptMap = Readonly<Record<string, number>>;

export interface ConversationRecord {
  readonly primary_channel: string;
  readonly conversation_id: string;
  readonly conversation_status: string;
  readonly hand_off_to_human: boolean;
  readonly channel_type?: string;
  readonly company_channel?: string;
  readonly company_id?: string;
  readonly project_id?: string;
  readonly company_name?: string;
  readonly credentials_reference?: string;
  readonly updated_at?: string;
  readonly opted_out?: boolean;
  readonly receipts: ReceiptMap;
}

/**
 * A WhatsApp media item as the provider names it. Stored ones are listed in `message.attachments` too; one the
 * webhook's time budget or size bound left with the provider says so (`stored: false`), and stays fetchable there
 * (Twilio: `url` with the account's credentials; Meta: `media_id` through the Graph API, `url` its endpoint).
 */
export interface MediaItem {
  readonly url: string;
  readonly content_type: string;
  /** Meta's media id. */
  readonly media_id?: string;
  readonly stored?: boolean;
  /** Why it was not stored (`too-large`, `budget`, `refused-url`, `sha256-mismatch`, `unavailable`, …). */
  readonly not_stored_reason?: string;
}

export interface AttachmentItem {
  readonly filename: string;
  readonly content_type: string;
  readonly size: number;
}

/** An attachment as stored before queueing; `sha256` is the hex SHA-256 of the stored bytes. */
export interface StoredAttachmentItem extends AttachmentItem {
  readonly sha256: string;
  readonly s3: { readonly bucket: string; readonly key: string };
}

export type OptOutKeyword = 'STOP' | 'START' | 'HELP';

/** A verified, validated inbound event, channel-neutral. */
export interface InboundMessage {
  readonly channel: ChannelType;
  readonly kind: 'message' | 'status';
  /** Normalised sender: E.164 for WhatsApp/SMS, lower-cased address for email. */
  readonly from: string;
  /** Company-side address exactly as the provider sent it (registry key). */
  readonly to: string;
  readonly body: string;
  /** Provider id (MessageSid / Message-Id): the idempotency key consumers dedupe on. */
  readonly messageId: string;
  readonly optOut?: OptOutKeyword;
  /** The receiving provider's view of the sender (email); absent for channels that have none (Twilio). */
  readonly senderVerdict?: SenderVerdict;
  readonly status?: { readonly message_status: string; readonly error_code?: string };
  readonly media?: readonly MediaItem[];
  readonly profile_name?: string;
  readonly button?: { readonly text?: string; readonly payload?: string };
  readonly location?: {
    readonly latitude: number;
    readonly longitude: number;
    readonly address?: string;
    readonly label?: string;
  };
  readonly original_replied_message_sid?: string;
  /** The provider's message type when the gateway cannot represent it (Meta): a human reads it. */
  readonly unsupported_type?: string;
  readonly email?: {
    readonly subject?: string;
    readonly in_reply_to?: string;
    readonly attachments: readonly AttachmentItem[];
    /** Attachments not stored (over the per-message limit, or all of them when the virus scan was not clean). */
    readonly dropped_attachments?: number;
    /** `reply+<conversation_id>@…` recipients address one conversation directly. */
    readonly addressed_conversation_id?: string;
  };
}

/** A message we send (fallback replies), provider-neutral; the outbound adapter maps it to Twilio or Mailgun. */
export interface OutboundMessage {
  readonly channel: 'whatsapp' | 'sms' | 'email';
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly contentSid?: string;
  readonly contentVariables?: string;
  readonly messagingServiceSid?: string;
  readonly subject?: string;
  readonly inReplyTo?: string;
  /** The registry entry's provider; the outbound adapter sends through it (default: Twilio / Mailgun by channel). */
  readonly provider?: Provider;
  /** Email through Mailgun: the tenant's regional API host (default US). */
  readonly mailgunApiHost?: MailgunApiHost;
}
