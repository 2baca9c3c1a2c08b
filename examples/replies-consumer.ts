/**
 * A minimal consumer of WhatsAppRepliesQueue / SmsRepliesQueue / EmailRepliesQueue / HandoffQueue (docs/consumers.md).
 * Copy it as a starting point: a Lambda behind an SQS event source mapping with `ReportBatchItemFailures`, using
 * Powertools batch processing so one bad message is retried (then parked in the DLQ) without failing its batch.
 * Type-checked and exercised by `npm test` (test/unit/consumer-example.test.ts).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** An email attachment (or a stored body): already in S3 when the message was queued; `sha256` of those bytes. */
export interface StoredObject {
  readonly size: number;
  readonly sha256: string;
  /** Read it with `s3:GetObject` on this bucket (docs/consumers.md, "Attachments and full bodies"). */
  readonly s3: { readonly bucket: string; readonly key: string };
}

export interface Attachment extends StoredObject {
  readonly filename: string;
  readonly content_type: string;
}

/**
 * Why a message is on HandoffQueue. A later 1.x may add reasons: the `string & {}` keeps those type-correct, so
 * treat a reason you do not know as "a human should look".
 */
export type HandoffReason = AskedReason | UnhandledReason | UntrustedReason | (string & {});
/** The candidate's keyword (or the AI passing the conversation on), or a conversation already opted out. */
type AskedReason = 'hand_off_to_human' | 'opt_out' | 'opt_in' | 'help' | 'opted_out';
/** A message the gateway did not give the AI: another sender, a type, size or budget it cannot handle. */
type UnhandledReason =
  | 'sender_mismatch'
  | 'unsupported_message'
  | 'too_large'
  | 'unprocessable'
  | 'quota_exceeded';
/** The sender's mail did not authenticate, or the provider flagged it. */
type UntrustedReason = 'sender_unverified' | 'spam' | 'virus';

/** A location the candidate shared (WhatsApp): coordinates, with the name and address when the app sent them. */
export interface SharedLocation {
  readonly latitude: number;
  readonly longitude: number;
  readonly label?: string;
  readonly address?: string;
}

/**
 * The context object, version 1 (schemas/context-object.v1.json, docs/consumers.md): every field the gateway sends.
 * Within 1.x new optional fields appear; this type lists the ones that exist, and code reading it must not fail on
 * others.
 */
export interface ReplyContext {
  readonly meta: {
    readonly request_id: string;
    readonly channel_type: 'whatsapp' | 'sms' | 'email';
    readonly timestamp: string;
    readonly version: string;
    /** company#channel#provider id: unique across tenants (one email to two companies is two messages). */
    readonly dedupe_key?: string;
  };
  readonly conversation: {
    readonly conversation_id: string;
    readonly primary_channel: string;
    readonly conversation_status: string;
    readonly hand_off_to_human: boolean;
    /** Per-conversation, increasing; gaps are possible. Absent on messages from older gateway versions. */
    readonly sequence_number?: number;
    readonly opted_out?: boolean;
  };
  readonly message: {
    /** E.164 (+447700900123) for WhatsApp and SMS, the lower-cased address for email. */
    readonly from: string;
    /** The company address exactly as the provider sent it (whatsapp:+14155238886). */
    readonly to: string;
    readonly body: string;
    /** The provider's id (MessageSid, Message-Id): not unique across tenants, dedupe on meta.dedupe_key. */
    readonly message_id: string;
    readonly timestamp: string;
    /**
     * WhatsApp/MMS media as the provider names it (fetching the URL needs the provider's credentials). `stored`:
     * also in `attachments` (S3); false when the webhook's time budget or size bound left it with the provider.
     */
    readonly media?: readonly {
      readonly url: string;
      readonly content_type: string;
      /** Meta's media id (fetchable through the Graph API with the tenant's token). */
      readonly media_id?: string;
      readonly stored?: boolean;
      readonly not_stored_reason?: string;
    }[];
    readonly profile_name?: string;
    readonly button?: { readonly text?: string; readonly payload?: string };
    readonly location?: SharedLocation;
    readonly original_replied_message_sid?: string;
    readonly subject?: string;
    readonly in_reply_to?: string;
    /** Email: attachments the gateway did not store (over the limit of 20, or all of them after an unclean scan). */
    readonly dropped_attachments?: number;
    /** Email: every attachment, stored before queueing (an empty list when there were none). */
    readonly attachments?: readonly Attachment[];
    /** `body` was cut to fit the queue; the whole text is `full_body`. */
    readonly body_truncated?: true;
    /** The whole body (UTF-8 text), stored like an attachment when it was too long for the queue. */
    readonly full_body?: StoredObject;
    /** The raw email as received, when the gateway could not process it (too large, unparseable): on HandoffQueue. */
    readonly raw_email?: {
      readonly size: number;
      readonly s3: { readonly bucket: string; readonly key: string };
    };
  };
  readonly company: {
    readonly company_id: string;
    readonly project_id: string;
    readonly company_name: string;
    readonly credentials_reference: string;
  };
  readonly processing: {
    readonly validation_status: 'valid';
    readonly ai_response: null;
    readonly sent_response: null;
    readonly processing_timestamps: {
      readonly received: string;
      readonly validated: string;
      readonly queued: string;
    };
    /** Which queue family it went to: `ai` (the channel's replies queue) or `handoff` (HandoffQueue). */
    readonly route?: 'ai' | 'handoff';
    /** On HandoffQueue: why. */
    readonly handoff_reason?: HandoffReason;
  };
}

export interface ConsumerDependencies {
  /**
   * Claims `dedupeKey` (meta.dedupe_key) and returns false if it already was claimed (for example a conditional PutItem with
   * `attribute_not_exists` and a TTL of a few days): SQS standard queues and provider retries can both deliver twice.
   */
  claim(dedupeKey: string): Promise<boolean>;
  /** Gives a claim back after a failure, so the redelivery is processed (for example DeleteItem). */
  release(dedupeKey: string): Promise<void>;
  /** The team's own work: answer with the AI, or hand to a human. Throwing makes SQS redeliver the message. */
  handleReply(reply: ReplyContext): Promise<void>;
}

/** Major version 1: new optional fields may appear at any time; a new major version is a new contract. */
const SUPPORTED_MAJOR = '1';

export function parseReply(record: SQSRecord): ReplyContext {
  const reply = JSON.parse(record.body) as ReplyContext;
  const major = String(reply.meta?.version ?? '').split('.')[0];
  if (major !== SUPPORTED_MAJOR)
    throw new Error(`unsupported context version ${String(reply.meta?.version)}`);
  return reply;
}

export function createConsumer(deps: ConsumerDependencies) {
  const processor = new BatchProcessor(EventType.SQS);
  const processRecord = async (record: SQSRecord): Promise<void> => {
    const reply = parseReply(record);
    // Absent only on messages queued by gateway versions before meta.dedupe_key existed.
    const id = reply.meta.dedupe_key ?? reply.message.message_id;
    if (!(await deps.claim(id))) return;
    try {
      await deps.handleReply(reply);
    } catch (error) {
      await deps.release(id);
      throw error;
    }
  };
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, processRecord, processor, { context });
}
