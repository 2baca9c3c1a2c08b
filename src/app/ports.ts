import type { MailgunApiHost } from '../domain/mailgun-api-host.js';
import type { ConversationRecord, OutboundMessage, RegistryEntry } from '../domain/types.js';
import type { QueueKey } from '../resources.js';

/**
 * Small interfaces the application owns; adapters in `src/adapters` implement them. Adapters translate their own
 * SDK failures into `DependencyError` (`src/adapters/dependency-call.ts`), so the use case never wraps errors.
 */

export interface ChannelRegistry {
  find(channelAddress: string): Promise<RegistryEntry | undefined>;
}

export type SecretValue = Readonly<Record<string, unknown>>;

export interface SecretStore {
  get(reference: string): Promise<SecretValue>;
  /**
   * A fresh copy after a verification failure (the token may have been rotated), or undefined when this
   * reference was refreshed too recently: forged requests must not turn into Secrets Manager calls.
   */
  refresh(reference: string): Promise<SecretValue | undefined>;
}

/** Where secrets actually come from (Secrets Manager, or a file locally); `CachedSecretStore` wraps it. */
export interface SecretSource {
  fetch(reference: string): Promise<SecretValue>;
}

export interface ReceiptClaim {
  readonly receiptAttribute: string;
  readonly inProgressUntilMs: number;
  readonly nowMs: number;
  /** Receipts to remove in the same write (expired / over the cap). */
  readonly staleReceipts: readonly string[];
  readonly summary: {
    readonly message_id: string;
    readonly received_at: string;
    readonly channel_type: string;
  };
  readonly optedOut?: boolean;
}

export type ClaimResult =
  | { readonly outcome: 'claimed'; readonly sequenceNumber: number }
  | { readonly outcome: 'duplicate' }
  | { readonly outcome: 'in-progress' }
  | { readonly outcome: 'gone' };

export interface ConversationKey {
  readonly primary_channel: string;
  readonly conversation_id: string;
}

export interface Conversations {
  /** Every conversation of one sender (strongly consistent: receipts are read from it). */
  findBySender(primaryChannel: string): Promise<ConversationRecord[]>;
  /** Atomically claims a message id on the conversation and records the inbound summary and sequence number. */
  claimMessage(key: ConversationKey, claim: ReceiptClaim): Promise<ClaimResult>;
  /** Marks the claim done once the message is durably queued. */
  completeMessage(key: ConversationKey, receiptAttribute: string, nowMs: number): Promise<void>;
  /**
   * Releases this attempt's claim (`claimValue` as written by `claimMessage`) after a failure so the provider's
   * retry is processed again; a claim taken over by another attempt, or completed, is left alone.
   */
  releaseMessage(key: ConversationKey, receiptAttribute: string, claimValue: number): Promise<void>;
}

/** Sent as SQS message attributes next to the body, so consumers can dedupe without parsing it. */
export interface QueueAttributes {
  readonly message_id: string;
  /** Unique across tenants (`meta.dedupe_key`): what consumers dedupe on. */
  readonly dedupe_key: string;
}

export interface MessageQueue {
  send(queue: QueueKey, body: string, attributes: QueueAttributes): Promise<void>;
}

export interface FallbackLedger {
  /**
   * Conditional put: true if this caller now holds the 24 h slot for (channel, sender); false while another
   * holds it, or for ever once the sender opted out there.
   */
  claim(ledgerKey: string, nowMs: number, ttlSeconds: number): Promise<boolean>;
  release(ledgerKey: string): Promise<void>;
  /**
   * Remembers (true) or clears (false) an opt-out of a sender with no conversation, on the same key as the slot,
   * so the claim above refuses it at no extra cost.
   */
  setOptOut(ledgerKey: string, optedOut: boolean, nowMs: number): Promise<void>;
}

export interface UsageCounter {
  /** Adds `count` AI-bound messages to the stage's counter for `month` (YYYY-MM); returns the new total. */
  add(month: string, count: number, nowMs: number): Promise<number>;
}

export interface ReplayGuard {
  /**
   * Records a provider's one-time token as used by the message it came with (`binding`, a digest of that message),
   * kept until `expiresAtSeconds`. True the first time, and again for the same binding: the provider's retry of the
   * same message, or the SDK's retry of this very write after a lost answer. False only when the token was already
   * used by a different message (a replay).
   */
  claimToken(token: string, binding: string, expiresAtSeconds: number, nowMs: number): Promise<boolean>;
}

export type { OutboundMessage };

export interface OutboundSender {
  send(message: OutboundMessage, credentials: SecretValue): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface Metrics {
  count(name: string, value?: number): void;
  milliseconds(name: string, value: number): void;
  /** Writes the metrics of one invocation (EMF in Lambda). */
  flush(): void;
}

/**
 * The webhook's deadline as a port, handed to the adapters and the use case by the composition root (never
 * imported): adapters abort their calls with `current()`, the HTTP layer runs each webhook inside `run`, and the
 * use case runs the clean-up that must happen even after the deadline (releasing a claim) `outside` it.
 */
export interface RequestDeadline {
  current(): AbortSignal | undefined;
  run<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T>;
  outside<T>(work: () => Promise<T>): Promise<T>;
}

/** Everything the use case needs; built once per runtime by its composition root. */
export interface Dependencies {
  readonly registry: ChannelRegistry;
  readonly secrets: SecretStore;
  readonly conversations: Conversations;
  readonly queue: MessageQueue;
  readonly ledger: FallbackLedger;
  readonly replayGuard: ReplayGuard;
  readonly outbound: OutboundSender;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly deadline: RequestDeadline;
  /** The AI's monthly budget (`MONTHLY_QUOTA`, `src/app/ai-budget.ts`); absent = no budget. */
  readonly quota?: Pick<import('./ai-budget.js').AiBudget, 'allows' | 'spend'>;
  /** Email attachments: stored after the claim, before the message is queued. */
  readonly attachments: AttachmentStore;
  readonly mailgunStorage: MailgunStorage;
  /** Plus-addressed replies from another sender (`sender_mismatch`); callers check the company. */
  readonly conversationsById: ConversationsById;
  /** Amazon SES inbound through SNS, loaded at the first SES request; absent: every SNS delivery is refused (403). */
  readonly ses?: () => Promise<SesChannel>;
  /** Meta's WhatsApp Cloud API: where the app's secret is; absent: `/whatsapp/meta` refuses everything (403). */
  readonly meta?: { readonly appCredentialsRef: string; readonly graphApiBaseUrl: string };
  /** WhatsApp media from Meta's Graph API; absent: Meta media stays with Meta (by reference). */
  readonly graphApi?: import('./media-ports.js').GraphApi;
  /** Twilio's `MediaUrlN` with the account's credentials; absent: Twilio media stays with Twilio (by URL). */
  readonly twilioMedia?: import('./media-ports.js').TwilioMedia;
}

/** One stored attachment as the context lists it (`message.attachments[i]`); `sha256` is hex of the stored bytes. */
export type StoredAttachment = import('../domain/types.js').StoredAttachmentItem;

export interface AttachmentUpload {
  readonly key: string;
  /** The declared type (`declaredContentType`), kept as object metadata; the object is always octet-stream. */
  readonly contentType: string;
  /** Streamed: read once, never held whole (only the part being uploaded is in memory). */
  readonly body: AsyncIterable<Uint8Array>;
  /** Refused (nothing kept) when the body turns out longer than this. */
  readonly maxBytes: number;
}

export interface AttachmentStore {
  /** Stores one attachment under `key` (a fresh key per attempt: `attachmentKey`). */
  put(upload: AttachmentUpload): Promise<Omit<StoredAttachment, 'filename' | 'content_type'>>;
}

/** One entry of a Mailgun store(notify) notification's `attachments` list (`parseStoredAttachmentRefs`). */
// An inline type import keeps this block append-only (the file's import lines are shared with other work).
export type MailgunStoredAttachmentRef =
  import('../domain/mailgun-stored-attachments.js').StoredAttachmentRef;

/** Mailgun's storage API: stored messages and their attachments, fetched with the account's API key. */
export interface MailgunStorage {
  /** The stored message's parsed fields (JSON), bounded; throws when the URL is not on the Mailgun API host. */
  fetchMessage(
    url: string,
    apiKey: string,
    apiHost?: MailgunApiHost,
  ): Promise<Readonly<Record<string, unknown>>>;
  /** Streams each attachment into the store, one at a time, under `keys[i]`; same rules for the URLs. */
  storeAttachments(
    refs: readonly MailgunStoredAttachmentRef[],
    keys: readonly string[],
    apiKey: string,
    /** The tenant's regional Mailgun API host; absent: the US API. URLs off that host are refused. */
    apiHost?: MailgunApiHost,
  ): Promise<StoredAttachment[]>;
}

/** A conversation found by its id alone (plus-addressed email); the caller must check it is the same company's. */
export interface ConversationsById {
  findById(conversationId: string): Promise<ConversationRecord | undefined>;
}

/** PEM certificates by (already allowed, normalised) SigningCertURL; cached by URL. */
export interface SnsCertificates {
  get(certificateUrl: string): Promise<string>;
}

/** Visits a verified SubscriptionConfirmation's SubscribeURL (already allowed and normalised). */
export interface SnsSubscriptions {
  confirm(subscribeUrl: string): Promise<void>;
}

/** A raw message as read, or only its size when it is larger than this runtime reads (its verdict, as data). */
export type RawEmail = { readonly bytes: Uint8Array } | { readonly tooLarge: true; readonly size: number };

/** The raw MIME message SES stored with its S3 action (the inbound bucket only). */
export interface RawEmailSource {
  get(bucket: string, key: string): Promise<RawEmail>;
}

/** What the SNS branch of `POST /email` needs besides the shared ports (attachments go to `attachments`). */
export interface SesChannel {
  readonly inbound: import('./ses-inbound.js').SesInboundDeps;
}

// Provider media ports live in their own file (size); adapters import every port from here, the one port surface.
export type {
  GraphApi,
  GraphMediaInfo,
  GraphTextMessage,
  MediaDownload,
  MediaFetchOptions,
  TwilioMedia,
  TwilioMediaCredentials,
} from './media-ports.js';
