import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FallbackLedger, ReplayGuard } from '../../app/ports.js';
import { dependencyCall } from '../dependency-call.js';

export interface TtlTable {
  /** Named in the DependencyError its failures become (`fallback-ledger`, `replay-guard`). */
  readonly dependency: string;
  readonly tableName: string;
  readonly keyAttribute: string;
  readonly ttlAttribute: string;
  /** Namespaces keys when one table serves several kinds of claim. */
  readonly keyPrefix?: string;
}

/**
 * Time-limited claims with one conditional `PutItem`, never read-then-write: the fallback ledger (one reply per
 * sender per 24 h) and the replay guard (one-time provider tokens, each bound to its message). DynamoDB deletes
 * expired items lazily (up to days later), so an expired item counts as absent in the condition. An opt-out (`setOptOut`) is an item without
 * a TTL on the slot's key: never expired, so never claimed.
 */
export class DynamoDbTtlClaims implements FallbackLedger, ReplayGuard {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: TtlTable,
  ) {}

  claim(key: string, nowMs: number, ttlSeconds: number): Promise<boolean> {
    const nowSeconds = Math.floor(nowMs / 1000);
    return this.putUnlessTaken(
      { [this.table.ttlAttribute]: nowSeconds + ttlSeconds, claimed_at: nowMs },
      this.key(key),
      nowSeconds,
    );
  }

  /**
   * One conditional `PutItem`: the token is free (absent or expired) or already bound to this same message. The
   * binding is what makes both retries safe: Mailgun's (same message, same token) and the SDK's own second attempt
   * after the first one landed but its answer was lost — it finds its own binding, not a replay.
   */
  claimToken(token: string, binding: string, expiresAtSeconds: number, nowMs: number): Promise<boolean> {
    return this.putUnlessTaken(
      { [this.table.ttlAttribute]: expiresAtSeconds, binding, claimed_at: nowMs },
      this.key(token),
      Math.floor(nowMs / 1000),
      binding,
    );
  }

  /** Writes the item if its key is absent or expired (or, with `binding`, already bound to it); false if taken. */
  private putUnlessTaken(
    attributes: Record<string, unknown>,
    key: string,
    nowSeconds: number,
    binding?: string,
  ): Promise<boolean> {
    return dependencyCall(this.table.dependency, async () => {
      const { tableName, keyAttribute, ttlAttribute } = this.table;
      const bound = binding === undefined ? '' : ' OR #binding = :binding';
      try {
        await this.client.send(
          new PutCommand({
            TableName: tableName,
            Item: { [keyAttribute]: key, ...attributes },
            ConditionExpression: `attribute_not_exists(#pk) OR #ttl <= :now${bound}`,
            ExpressionAttributeNames: {
              '#pk': keyAttribute,
              '#ttl': ttlAttribute,
              ...(binding === undefined ? {} : { '#binding': 'binding' }),
            },
            ExpressionAttributeValues: {
              ':now': nowSeconds,
              ...(binding === undefined ? {} : { ':binding': binding }),
            },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    });
  }

  release(key: string): Promise<void> {
    return dependencyCall(this.table.dependency, async () => {
      try {
        await this.client.send(
          new DeleteCommand({
            TableName: this.table.tableName,
            Key: { [this.table.keyAttribute]: this.key(key) },
            // A STOP recorded on this key while a fallback was failing must survive the slot's release.
            ConditionExpression: 'attribute_not_exists(opted_out)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
  }

  setOptOut(key: string, optedOut: boolean, nowMs: number): Promise<void> {
    return dependencyCall(this.table.dependency, async () => {
      const { tableName, keyAttribute } = this.table;
      if (optedOut) {
        // No TTL attribute: the item never expires, and `claim`'s condition can never take it over.
        await this.client.send(
          new PutCommand({
            TableName: tableName,
            Item: { [keyAttribute]: this.key(key), opted_out: true, opted_out_at: nowMs },
          }),
        );
        return;
      }
      try {
        await this.client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { [keyAttribute]: this.key(key) },
            // Only an opt-out: a 24 h fallback slot held by this sender stays.
            ConditionExpression: 'attribute_exists(opted_out)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
  }

  private key(key: string): string {
    return `${this.table.keyPrefix ?? ''}${key}`;
  }
}
