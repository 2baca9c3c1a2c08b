import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueKey } from '../resources.js';
import { queuePlans, tablePlans } from './provision-plan.js';

/** Creates the tables from `src/resources.ts` if missing (idempotent: safe against an existing endpoint). */
export async function provisionTables(client: DynamoDBClient): Promise<void> {
  for (const plan of tablePlans()) {
    try {
      await client.send(new CreateTableCommand(plan.input));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    if (plan.ttlAttribute) {
      // dynalite has no TTL API; DynamoDB Local and AWS do. Readers filter expired items either way.
      await client
        .send(
          new UpdateTimeToLiveCommand({
            TableName: plan.input.TableName,
            TimeToLiveSpecification: { AttributeName: plan.ttlAttribute, Enabled: true },
          }),
        )
        .catch(() => undefined);
    }
  }
}

/** Creates each queue and its DLQ with the redrive policy; returns the queue URLs. */
export async function provisionQueues(
  client: SQSClient,
  delaySecondsOverride?: number,
): Promise<Record<QueueKey, string>> {
  const urls = {} as Record<QueueKey, string>;
  for (const plan of queuePlans(delaySecondsOverride)) {
    const dlq = await client.send(
      new CreateQueueCommand({ QueueName: plan.deadLetter.name, Attributes: plan.deadLetter.attributes }),
    );
    const dlqArn = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const created = await client.send(
      new CreateQueueCommand({
        QueueName: plan.name,
        Attributes: {
          ...plan.attributes,
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn.Attributes?.QueueArn,
            maxReceiveCount: plan.maxReceiveCount,
          }),
        },
      }),
    );
    if (!created.QueueUrl) throw new Error(`No URL for queue ${plan.name}`);
    urls[plan.key] = created.QueueUrl;
  }
  return urls;
}
