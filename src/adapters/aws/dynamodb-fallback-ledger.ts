import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FallbackLedger } from '../../app/ports.js';
import { TABLES } from '../../resources.js';

const T = TABLES.fallbackLedger;

/** One slot per (company channel, sender) and 24 h: claim first with a conditional put, never read-then-write. */
export class DynamoDbFallbackLedger implements FallbackLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(ledgerKey: string, nowMs: number, ttlSeconds: number): Promise<boolean> {
    const nowSeconds = Math.floor(nowMs / 1000);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [T.partitionKey.name]: ledgerKey,
            [T.ttlAttribute]: nowSeconds + ttlSeconds,
            claimed_at: nowMs,
          },
          // TTL deletion is lazy (up to days): an expired item counts as absent.
          ConditionExpression: 'attribute_not_exists(#pk) OR #ttl <= :now',
          ExpressionAttributeNames: { '#pk': T.partitionKey.name, '#ttl': T.ttlAttribute },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(ledgerKey: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { [T.partitionKey.name]: ledgerKey } }),
    );
  }
}
