import { QUEUES } from '../resources.js';
import { UsageError } from './cli-error.js';

/** Every queue the gateway provisions, each followed by its dead-letter queue. */
const QUEUE_NAMES: readonly string[] = Object.values(QUEUES).flatMap((q) => [q.name, q.deadLetterQueueName]);

/**
 * `WhatsAppRepliesQueue`, `whatsappReplies` (the resource key), `whatsapp` and `handoff-dlq` all resolve;
 * no name means every queue.
 */
export function resolveQueueNames(name: string | undefined): string[] {
  if (name === undefined) return [...QUEUE_NAMES];
  const wanted = name.toLowerCase();
  const dlq = wanted.endsWith('-dlq');
  const base = dlq ? wanted.slice(0, -4) : wanted;
  for (const [key, queue] of Object.entries(QUEUES)) {
    const lower = queue.name.toLowerCase();
    // `whatsapp`, `sms`, `email`, `handoff`: the channel (or route) a queue serves is the name people reach for.
    const names = [
      key.toLowerCase(),
      key.toLowerCase().replace(/replies$/, ''),
      lower,
      lower.replace(/queue$/, ''),
    ];
    if (names.includes(base)) return [dlq ? queue.deadLetterQueueName : queue.name];
  }
  throw new UsageError(`unknown queue "${name}": expected one of ${QUEUE_NAMES.join(', ')}`);
}
