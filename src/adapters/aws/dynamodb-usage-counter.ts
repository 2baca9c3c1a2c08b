import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UsageCounter } from '../../app/ports.js';
import { dependencyCall } from '../dependency-call.js';
import type { TtlTable } from './dynamodb-ttl-claims.js';

/** A month's item outlives the month by a few weeks, for inspection; TTL removes it afterwards. */
const KEEP_SECONDS = 62 * 24 * 60 * 60;

/** The stage's monthly counter of verified webhooks: one item per month in the idempotency table, atomic ADD. */
export class DynamoDbUsageCounter implements UsageCounter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: TtlTable,
  ) {}

  add(month: string, count: number, nowMs: number): Promise<number> {
    return dependencyCall(this.table.dependency, async () => {
      const { tableName, keyAttribute, ttlAttribute } = this.table;
      const result = await this.client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [keyAttribute]: `${this.table.keyPrefix ?? ''}${month}` },
          UpdateExpression: 'ADD verified_webhooks :n SET #ttl = if_not_exists(#ttl, :expires)',
          ExpressionAttributeNames: { '#ttl': ttlAttribute },
          ExpressionAttributeValues: { ':n': count, ':expires': Math.floor(nowMs / 1000) + KEEP_SECONDS },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.verified_webhooks ?? count);
    });
  }
}
