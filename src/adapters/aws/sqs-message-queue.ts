import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageQueue, QueueAttributes } from '../../app/ports.js';
import type { QueueKey } from '../../resources.js';

export class SqsMessageQueue implements MessageQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrls: Readonly<Record<QueueKey, string>>,
  ) {}

  async send(queue: QueueKey, body: string, attributes: QueueAttributes): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrls[queue],
        MessageBody: body,
        // Standard queues are at-least-once: consumers dedupe on dedupe_key (also meta.dedupe_key in the body).
        MessageAttributes: {
          message_id: { DataType: 'String', StringValue: attributes.message_id },
          dedupe_key: { DataType: 'String', StringValue: attributes.dedupe_key },
        },
      }),
    );
  }
}
