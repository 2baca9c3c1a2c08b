import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReplayGuard } from '../../app/ports.js';
import { TABLES } from '../../resources.js';

const T = TABLES.idempotency;

/** One-time provider tokens (Mailgun `token`): a conditional put with a TTL a little longer than the time window. */
export class DynamoDbReplayGuard implements ReplayGuard {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claimToken(token: string, nowMs: number, ttlSeconds: number): Promise<boolean> {
    const nowSeconds = Math.floor(nowMs / 1000);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { [T.partitionKey.name]: `token#${token}`, [T.ttlAttribute]: nowSeconds + ttlSeconds },
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
}
