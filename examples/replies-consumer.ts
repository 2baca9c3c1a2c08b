/**
 * A minimal consumer of WhatsAppRepliesQueue / SmsRepliesQueue / EmailRepliesQueue / HandoffQueue (docs/consumers.md).
 * Copy it as a starting point: a Lambda behind an SQS event source mapping with `ReportBatchItemFailures`, using
 * Powertools batch processing so one bad message is retried (then parked in the DLQ) without failing its batch.
 * Type-checked and exercised by `npm test` (test/unit/consumer-example.test.ts).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** The fields this consumer reads; the full contract is schemas/context-object.v1.json. */
export interface ReplyContext {
  readonly meta: {
    readonly version: string;
    readonly channel_type: 'whatsapp' | 'sms' | 'email';
    /** company#channel#provider id: unique across tenants (one email to two companies is two messages). */
    readonly dedupe_key?: string;
  };
  readonly conversation: {
    readonly conversation_id: string;
    readonly hand_off_to_human: boolean;
    /** Per-conversation, increasing; gaps are possible. Absent on messages from older gateway versions. */
    readonly sequence_number?: number;
  };
  readonly message: { readonly message_id: string; readonly body: string; readonly from: string };
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
