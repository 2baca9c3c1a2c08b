import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  QUEUE_ATTRIBUTES,
  QUEUES,
  type QueueKey,
  TABLES,
  type TableDefinition,
  type TableKey,
} from '../resources.js';

/** What the local stack creates, derived only from `src/resources.ts` (the parity test compares it with CDK). */
export interface TablePlan {
  readonly key: TableKey;
  readonly input: CreateTableCommandInput;
  readonly ttlAttribute: string | undefined;
}

export interface QueuePlan {
  readonly key: QueueKey;
  readonly name: string;
  /** SQS attribute map as sent to CreateQueue; `RedrivePolicy` is added once the DLQ's ARN is known. */
  readonly attributes: Record<string, string>;
  readonly deadLetter: { readonly name: string; readonly attributes: Record<string, string> };
  readonly maxReceiveCount: number;
}

function attributeDefinitions(table: TableDefinition): CreateTableCommandInput['AttributeDefinitions'] {
  const byName = new Map<string, 'S' | 'N'>();
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  for (const key of keys) if (key) byName.set(key.name, key.type);
  return [...byName].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

export function tablePlans(
  tableName: (key: TableKey) => string = (key) => TABLES[key].localName,
): TablePlan[] {
  return (Object.keys(TABLES) as TableKey[]).map((key) => {
    const table: TableDefinition = TABLES[key];
    const input: CreateTableCommandInput = {
      TableName: tableName(key),
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributeDefinitions(table),
      KeySchema: [
        { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
        ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' as const }] : []),
      ],
    };
    if (table.globalSecondaryIndexes.length > 0) {
      input.GlobalSecondaryIndexes = table.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
        ],
        Projection: { ProjectionType: index.projection },
      }));
    }
    return { key, input, ttlAttribute: table.ttlAttribute };
  });
}

/** `delaySecondsOverride` exists only for the local stack (REPLIES_QUEUE_DELAY_SECONDS); AWS keeps the seed's 30 s. */
export function queuePlans(delaySecondsOverride?: number): QueuePlan[] {
  const delay = delaySecondsOverride ?? QUEUE_ATTRIBUTES.delaySeconds;
  return (Object.keys(QUEUES) as QueueKey[]).map((key) => ({
    key,
    name: QUEUES[key].name,
    attributes: {
      DelaySeconds: String(delay),
      VisibilityTimeout: String(QUEUE_ATTRIBUTES.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(QUEUE_ATTRIBUTES.messageRetentionSeconds),
    },
    deadLetter: {
      name: QUEUES[key].deadLetterQueueName,
      attributes: { MessageRetentionPeriod: String(QUEUE_ATTRIBUTES.deadLetterRetentionSeconds) },
    },
    maxReceiveCount: QUEUE_ATTRIBUTES.maxReceiveCount,
  }));
}
