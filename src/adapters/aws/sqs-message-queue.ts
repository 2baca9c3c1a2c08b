import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageQueue, QueueAttributes } from '../../app/ports.js';
import type { QueueKey } from '../../resources.js';
import { dependencyCall } from '../dependency-call.js';

/** The X-Ray header of the running invocation (Lambda sets `_X_AMZN_TRACE_ID` before each one), if any. */
export type TraceHeaderSource = () => string | undefined;

export class SqsMessageQueue implements MessageQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrls: Readonly<Record<QueueKey, string>>,
    private readonly traceHeader: TraceHeaderSource = () => undefined,
  ) {}

  async send(queue: QueueKey, body: string, attributes: QueueAttributes): Promise<void> {
    // Sampled traces only (tracing on): the consumer's Lambda then continues the webhook's trace.
    const trace = this.traceHeader();
    const sampled = trace?.includes('Sampled=1') === true;
    const command = new SendMessageCommand({
      QueueUrl: this.queueUrls[queue],
      MessageBody: body,
      // Standard queues are at-least-once: consumers dedupe on dedupe_key (also meta.dedupe_key in the body).
      MessageAttributes: {
        message_id: { DataType: 'String', StringValue: attributes.message_id },
        dedupe_key: { DataType: 'String', StringValue: attributes.dedupe_key },
      },
      ...(sampled
        ? { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } } }
        : {}),
    });
    await dependencyCall('queue', () => this.client.send(command));
  }
}
