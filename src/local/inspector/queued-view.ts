import { QUEUE_ATTRIBUTES, QUEUES, type QueueKey } from '../../resources.js';
import type { ExchangeLog } from './exchange-log.js';
import { scrubDeep } from './exchange-view.js';

/**
 * Why a dead-letter queue holds messages. Only consumers move messages there: SQS parks a message after
 * `maxReceiveCount` receives that ended without a delete. The gateway only sends, and the local tooling (inspector,
 * `queues peek`) never receives, so the cause is always a consumer (or a manual `receive-message`).
 */
export function deadLetterReason(depth: number | null): string | null {
  if (!depth) return null;
  const { maxReceiveCount, visibilityTimeoutSeconds } = QUEUE_ATTRIBUTES;
  return (
    `received ${maxReceiveCount} times without being deleted (redrive policy maxReceiveCount ${maxReceiveCount}): ` +
    `a consumer failed or ran past the ${visibilityTimeoutSeconds} s visibility timeout each time. The gateway and ` +
    '`queues peek` never receive; fix the consumer, then redrive (docs/consumers.md).'
  );
}

/** One message the gateway queued, as it sent it (the context object), from the stack's own record. */
export interface QueuedMessage {
  readonly exchangeId: string;
  readonly at: string;
  readonly queue: string;
  readonly context: unknown;
}

/**
 * The context objects the gateway most recently queued (newest first, up to `max` per queue), read from the
 * outcome observer's record instead of SQS: reading a queue is a receive, and five receives park a message in the
 * dead-letter queue. Addresses and bodies are masked unless `unmasked`.
 */
export function queuedMessages(
  log: ExchangeLog,
  keys: readonly QueueKey[],
  max: number,
  unmasked: boolean,
): Record<QueueKey, QueuedMessage[]> {
  const out = Object.fromEntries(keys.map((key) => [key, [] as QueuedMessage[]])) as Record<
    QueueKey,
    QueuedMessage[]
  >;
  for (const entry of log.list()) {
    const outcome = entry.outcome;
    if (outcome?.verdict !== 'queued') continue;
    const list = out[outcome.queue];
    if (!list || list.length >= max) continue;
    list.push({
      exchangeId: entry.id,
      at: entry.at,
      queue: QUEUES[outcome.queue].name,
      context: unmasked ? outcome.context : scrubDeep(outcome.context),
    });
  }
  return out;
}
