import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES, type QueueKey } from '../../src/resources.js';
import type { QueuedContext } from './context-schema.js';
import type { TestStack } from './test-stack.js';

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** Receives (and deletes) every visible message of a queue; bodies parsed as JSON. */
export async function drainQueue(client: SQSClient, queueUrl: string): Promise<unknown[]> {
  const bodies: unknown[] = [];
  for (;;) {
    const result = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    const messages = result.Messages ?? [];
    if (messages.length === 0) return bodies;
    for (const message of messages) bodies.push(JSON.parse(message.Body ?? 'null'));
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
}

/** Every queue of `src/resources.ts` drained through the test stack, keyed by queue. */
export async function drainAllQueues(
  t: Pick<TestStack, 'drain'>,
): Promise<Record<QueueKey, QueuedContext[]>> {
  const out = {} as Record<QueueKey, QueuedContext[]>;
  for (const key of Object.keys(QUEUES) as QueueKey[]) out[key] = (await t.drain(key)) as QueuedContext[];
  return out;
}
