import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { maskAddress } from '../domain/mask.js';
import { queueDepth } from '../local/queue-depth.js';
import { sqsClient } from './aws-clients.js';
import { CliError, networkError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { CommandSpec } from './command-spec.js';
import { plural, preview, printJson, table } from './format.js';
import { booleanFlag, numberFlag, parseAction } from './parse-flags.js';
import { resolveQueueNames } from './queue-names.js';
import { endpointOverrideFlag, gatewayUrlFlag, serviceEndpoint } from './stack-target.js';

export const QUEUES_SPEC: CommandSpec = {
  usage: 'queues peek|drain [name] [--url GATEWAY | --endpoint URL]',
  summary:
    'peek: depth and the first messages of each queue, left in place. drain: receive and delete every visible ' +
    'message. Without a name: every queue and dead-letter queue.',
  flags: {
    url: gatewayUrlFlag('local gateway; the SQS endpoint is asked of it'),
    endpoint: endpointOverrideFlag('sqs'),
    max: { type: 'string', placeholder: 'N', description: 'peek: messages shown per queue (default 10)' },
    unmasked: { type: 'boolean', description: 'show full phone numbers and email addresses' },
  },
  notes: [
    "A peek is an SQS receive: it hides the shown messages from consumers for 1 s and adds 1 to each one's receive",
    'count; after 5 receives a message moves to its dead-letter queue. The inspector (/_local/) shows recent',
    'messages without touching the queues.',
  ],
  examples: ['queues peek', 'queues peek whatsappReplies --max 3', 'queues drain HandoffQueue --json'],
};

interface QueueMessage {
  readonly id: string;
  readonly receiveCount: number;
  readonly body: unknown;
}

async function queueUrl(sqs: SQSClient, name: string): Promise<string> {
  const result = await sqs.send(new GetQueueUrlCommand({ QueueName: name })).catch((error: unknown) => {
    if ((error as { name?: string }).name?.includes('QueueDoesNotExist'))
      throw new CliError(`no queue named ${name}`);
    throw error;
  });
  return result.QueueUrl ?? '';
}

function parsed(message: Message): QueueMessage {
  let body: unknown = message.Body ?? '';
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    // not JSON: shown as text
  }
  return {
    id: message.MessageId ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    body,
  };
}

/**
 * Peek: receives up to `max` messages with a 1 s visibility timeout and lets them reappear on their own. (A zero
 * timeout hands the same message back several times in one call, and local-aws-sqs counts a release through
 * ChangeMessageVisibility as another receive.) Drain: receives and deletes until the queue answers empty.
 */
async function receive(sqs: SQSClient, url: string, max: number, keep: boolean): Promise<QueueMessage[]> {
  const seen = new Map<string, Message>();
  while (seen.size < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, max - seen.size),
        VisibilityTimeout: keep ? 1 : 30,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        // The older parameter too: local-aws-sqs only reads this one.
        AttributeNames: ['All'],
      }),
    );
    const fresh = Messages.filter((m) => !seen.has(m.MessageId ?? ''));
    if (fresh.length === 0) break;
    for (const message of fresh) seen.set(message.MessageId ?? String(seen.size), message);
    if (!keep) {
      const entries = Messages.map((m, index) => ({
        Id: String(index),
        ReceiptHandle: m.ReceiptHandle ?? '',
      }));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    }
  }
  return [...seen.values()].map(parsed);
}

function summary(message: QueueMessage, unmasked: boolean): Record<string, string> {
  const mask = (value: unknown) => (typeof value !== 'string' ? '' : unmasked ? value : maskAddress(value));
  const body = message.body as { message?: Record<string, unknown>; processing?: Record<string, unknown> };
  const m = body?.message;
  if (!m)
    return { id: message.id, receives: String(message.receiveCount), body: preview(String(message.body)) };
  return {
    message_id: String(m.message_id ?? ''),
    from: mask(m.from),
    to: mask(m.to),
    route: String(body.processing?.route ?? ''),
    body: preview(String(m.body ?? '')),
    receives: String(message.receiveCount),
  };
}

export async function queuesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseAction(QUEUES_SPEC, argv, io, ['peek', 'drain'] as const, 2);
  if (!parsed) return 0;
  const { values, positionals, json, action } = parsed;
  const names = resolveQueueNames(positionals[1]);
  const max = numberFlag(values, 'max', { min: 1, max: 1000, fallback: 10 });
  const { endpoint, change } = await serviceEndpoint('sqs', values, io.env);
  const unmasked = booleanFlag(values, 'unmasked');
  const sqs = sqsClient(endpoint);
  try {
    const results = [];
    for (const name of names) {
      const url = await queueUrl(sqs, name);
      const before = await queueDepth(sqs, url);
      const messages =
        action === 'peek' ? await receive(sqs, url, max, true) : await receive(sqs, url, Infinity, false);
      results.push({ queue: name, depth: action === 'peek' ? before : before - messages.length, messages });
    }
    if (json) {
      printJson(io, action === 'peek' ? { queues: results } : { drained: results });
      return 0;
    }
    for (const { queue, depth: count, messages } of results) {
      if (action === 'drain') {
        io.out(`${queue}: drained ${plural(messages.length, 'message')}`);
        continue;
      }
      if (positionals[1] === undefined && count === 0) continue;
      io.out(
        `${queue}: ${plural(count, 'message')}${messages.length < count ? ` (${messages.length} shown)` : ''}`,
      );
      if (messages.length > 0) {
        const rows = messages.map((message) => summary(message, unmasked));
        const columns = Object.keys(rows[0] ?? {});
        io.out(table(rows, columns).replace(/^/gm, '  '));
      }
    }
    if (action === 'peek' && positionals[1] === undefined && results.every((r) => r.depth === 0))
      io.out('all queues are empty');
    return 0;
  } catch (error) {
    throw networkError(error, endpoint, change);
  } finally {
    sqs.destroy();
  }
}
