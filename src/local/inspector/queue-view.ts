import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { scrubTruncated } from '../../domain/mask.js';
import { QUEUES, type QueueKey } from '../../resources.js';
import { queueDepth } from '../queue-depth.js';
import type { ExchangeLog } from './exchange-log.js';
import type { InspectorStack } from './inspector-stack.js';
import { deadLetterReason, queuedMessages } from './queued-view.js';

/** `?contexts=N`: also the last N context objects queued to each queue (`queues peek`); `unmasked`: raw. */
export interface QueueViewOptions {
  readonly contexts?: number;
  readonly unmasked?: boolean;
}

const RECENT_PER_QUEUE = 5;

function depth(sqs: SQSClient, url: string): Promise<number | null> {
  return queueDepth(sqs, url).catch(() => null);
}

function recent(log: ExchangeLog, key: QueueKey) {
  const items = [];
  for (const entry of log.list()) {
    if (entry.outcome?.verdict !== 'queued' || entry.outcome.queue !== key) continue;
    const context = entry.outcome.context as { message?: Record<string, unknown> };
    const message = context.message ?? {};
    items.push({
      exchangeId: entry.id,
      at: entry.at,
      messageId: String(message.message_id ?? ''),
      from: scrubTruncated(String(message.from ?? '')),
      body: scrubTruncated(String(message.body ?? '')),
    });
    if (items.length === RECENT_PER_QUEUE) break;
  }
  return items;
}

/**
 * Queue depths (read from SQS) and the messages most recently sent to each queue (from the outcome observer).
 * Messages are never received here: every SQS receive counts towards the move to the dead-letter queue.
 */
export async function queueView(
  stack: InspectorStack,
  log: ExchangeLog,
  dlqUrls: Map<string, string>,
  options: QueueViewOptions = {},
) {
  const keys = Object.keys(QUEUES) as QueueKey[];
  const contexts = options.contexts
    ? queuedMessages(log, keys, options.contexts, options.unmasked === true)
    : undefined;
  // A client per call: the stack's own clients are private, and a long-lived one would hold sockets at shutdown.
  const sqs = new SQSClient({
    endpoint: stack.sqsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    return await Promise.all(
      keys.map(async (key) => {
        const queue = QUEUES[key];
        let dlqUrl = dlqUrls.get(queue.deadLetterQueueName);
        if (!dlqUrl) {
          dlqUrl = await sqs
            .send(new GetQueueUrlCommand({ QueueName: queue.deadLetterQueueName }))
            .then((r) => r.QueueUrl)
            .catch(() => undefined);
          if (dlqUrl) dlqUrls.set(queue.deadLetterQueueName, dlqUrl);
        }
        const deadLetterDepth = dlqUrl ? await depth(sqs, dlqUrl) : null;
        return {
          key,
          name: queue.name,
          depth: await depth(sqs, stack.queueUrls[key]),
          deadLetterQueue: queue.deadLetterQueueName,
          deadLetterDepth,
          deadLetterReason: deadLetterReason(deadLetterDepth),
          recent: recent(log, key),
          ...(contexts ? { queued: contexts[key] } : {}),
        };
      }),
    );
  } finally {
    sqs.destroy();
  }
}
