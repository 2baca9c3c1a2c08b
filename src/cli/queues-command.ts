import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { queueDepth } from '../local/queue-depth.js';
import { sqsClient } from './aws-clients.js';
import { CliError, networkError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { CommandSpec } from './command-spec.js';
import { plural, printJson } from './format.js';
import { booleanFlag, numberFlag, parseAction } from './parse-flags.js';
import { resolveQueueNames } from './queue-names.js';
import { peekQueues } from './queue-peek.js';
import { endpointOverrideFlag, gatewayUrlFlag, serviceEndpoint } from './stack-target.js';

export const QUEUES_SPEC: CommandSpec = {
  usage: 'queues peek|drain [name] [--url GATEWAY | --endpoint URL]',
  summary:
    'peek: the depth of each queue and the context objects the gateway queued there (from the local stack’s ' +
    'record: nothing is received, so nothing moves towards a dead-letter queue). drain: receive and delete ' +
    'every visible message. Without a name: every queue and dead-letter queue.',
  flags: {
    url: gatewayUrlFlag('local gateway; the SQS endpoint is asked of it'),
    endpoint: endpointOverrideFlag('sqs'),
    max: {
      type: 'string',
      placeholder: 'N',
      description: 'peek: context objects shown per queue (default 10)',
    },
    unmasked: { type: 'boolean', description: 'show full phone numbers, email addresses and bodies' },
  },
  notes: [
    'peek shows, for each queue, the newest context objects the local gateway sent there, as many as the queue',
    'still holds (SQS GetQueueAttributes; no ReceiveMessage). With --endpoint (no local gateway) only depths.',
    'A dead-letter queue with messages says why they are there. drain is a receive: use it to empty a queue.',
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

/** Drain: receives and deletes until the queue answers empty. */
async function receive(sqs: SQSClient, url: string, max: number): Promise<QueueMessage[]> {
  const seen = new Map<string, Message>();
  while (seen.size < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, max - seen.size),
        VisibilityTimeout: 30,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        // The older parameter too: local-aws-sqs only reads this one.
        AttributeNames: ['All'],
      }),
    );
    const fresh = Messages.filter((m) => !seen.has(m.MessageId ?? ''));
    if (fresh.length === 0) break;
    for (const message of fresh) seen.set(message.MessageId ?? String(seen.size), message);
    const entries = Messages.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle ?? '' }));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: entries }));
  }
  return [...seen.values()].map(parsed);
}

export async function queuesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseAction(QUEUES_SPEC, argv, io, ['peek', 'drain'] as const, 2);
  if (!parsed) return 0;
  const { values, positionals, json, action } = parsed;
  const names = resolveQueueNames(positionals[1]);
  const max = numberFlag(values, 'max', { min: 1, max: 1000, fallback: 10 });
  const unmasked = booleanFlag(values, 'unmasked');
  if (action === 'peek')
    return peekQueues(io, {
      names,
      values,
      max,
      unmasked,
      json,
      all: positionals[1] === undefined,
      sqs: sqsClient,
    });
  const { endpoint, change } = await serviceEndpoint('sqs', values, io.env);
  const sqs = sqsClient(endpoint);
  try {
    const results = [];
    for (const name of names) {
      const url = await queueUrl(sqs, name);
      const before = await queueDepth(sqs, url);
      const messages = await receive(sqs, url, Infinity);
      results.push({ queue: name, depth: before - messages.length, messages });
    }
    if (json) {
      printJson(io, { drained: results });
      return 0;
    }
    for (const { queue, messages } of results)
      io.out(`${queue}: drained ${plural(messages.length, 'message')}`);
    return 0;
  } catch (error) {
    throw networkError(error, endpoint, change);
  } finally {
    sqs.destroy();
  }
}
