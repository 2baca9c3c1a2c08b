import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ClaimResult,
  ConversationKey,
  Conversations,
  ConversationsById,
  ReceiptClaim,
} from '../../app/ports.js';
import { RECEIPT_PREFIX } from '../../domain/receipts.js';
import type { ConversationRecord } from '../../domain/types.js';
import { TABLES } from '../../resources.js';
import { dependencyCall } from '../dependency-call.js';
import { isStorableKey } from './dynamodb-registry.js';

const T = TABLES.conversations;
const DEPENDENCY = 'conversations';

function toRecord(item: Record<string, unknown>): ConversationRecord {
  const receipts: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(RECEIPT_PREFIX) && typeof value === 'number') receipts[name] = value;
  }
  const str = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  return {
    primary_channel: String(item[T.partitionKey.name]),
    conversation_id: String(item[T.sortKey.name]),
    conversation_status: str('conversation_status') ?? 'active',
    hand_off_to_human: item.hand_off_to_human === true,
    channel_type: str('channel_type'),
    company_channel: str('company_channel'),
    company_id: str('company_id'),
    project_id: str('project_id'),
    company_name: str('company_name'),
    credentials_reference: str('credentials_reference'),
    updated_at: str('updated_at'),
    opted_out: item.opted_out === true,
    receipts,
  };
}

/** Conversations table: Query by sender, and the receipt protocol of `src/domain/receipts.ts`. */
export class DynamoDbConversations implements Conversations, ConversationsById {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  findBySender(primaryChannel: string): Promise<ConversationRecord[]> {
    return dependencyCall(DEPENDENCY, async () => {
      if (!isStorableKey(primaryChannel)) return [];
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': T.partitionKey.name },
          ExpressionAttributeValues: { ':pk': primaryChannel },
          // Receipts are read from here: a stale read could miss a just-finished delivery.
          ConsistentRead: true,
        }),
      );
      return (result.Items ?? []).map(toRecord);
    });
  }

  claimMessage(key: ConversationKey, claim: ReceiptClaim): Promise<ClaimResult> {
    return dependencyCall(DEPENDENCY, async () => {
      const names: Record<string, string> = { '#r': claim.receiptAttribute, '#sk': T.sortKey.name };
      const removals = claim.staleReceipts.map((name, i) => {
        names[`#s${i}`] = name;
        return `#s${i}`;
      });
      const now = new Date(claim.nowMs).toISOString();
      try {
        const result = await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: [
              `SET #r = :until, updated_at = :now, last_inbound_at = :now, last_inbound_message = :summary${
                claim.optedOut === undefined ? '' : ', opted_out = :optedOut'
              }`,
              'ADD message_seq :one',
              removals.length > 0 ? `REMOVE ${removals.join(', ')}` : '',
            ].join(' '),
            // Free, or an in-progress claim whose owner has certainly died; never a finished one.
            ConditionExpression:
              'attribute_exists(#sk) AND (attribute_not_exists(#r) OR (#r > :zero AND #r < :nowMs))',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ':until': claim.inProgressUntilMs,
              ':now': now,
              ':nowMs': claim.nowMs,
              ':zero': 0,
              ':one': 1,
              ':summary': claim.summary,
              ...(claim.optedOut === undefined ? {} : { ':optedOut': claim.optedOut }),
            },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return { outcome: 'claimed', sequenceNumber: Number(result.Attributes?.message_seq ?? 1) };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return this.classifyConflict(key, claim);
      }
    });
  }

  private async classifyConflict(key: ConversationKey, claim: ReceiptClaim): Promise<ClaimResult> {
    const current = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    if (!current.Item) return { outcome: 'gone' };
    const value = current.Item[claim.receiptAttribute];
    // The SDK's own retry of a write that did land (answer lost or late) finds this attempt's unique claim value.
    if (value === claim.inProgressUntilMs) {
      return { outcome: 'claimed', sequenceNumber: Number(current.Item.message_seq ?? 1) };
    }
    return typeof value === 'number' && value < 0 ? { outcome: 'duplicate' } : { outcome: 'in-progress' };
  }

  completeMessage(key: ConversationKey, receiptAttribute: string, nowMs: number): Promise<void> {
    return dependencyCall(DEPENDENCY, async () => {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #r = :done',
          ConditionExpression: 'attribute_exists(#sk)',
          ExpressionAttributeNames: { '#r': receiptAttribute, '#sk': T.sortKey.name },
          ExpressionAttributeValues: { ':done': -nowMs },
        }),
      );
    });
  }

  releaseMessage(key: ConversationKey, receiptAttribute: string, claimValue: number): Promise<void> {
    return dependencyCall(DEPENDENCY, async () => {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'REMOVE #r',
            ConditionExpression: '#r = :claim',
            ExpressionAttributeNames: { '#r': receiptAttribute },
            ExpressionAttributeValues: { ':claim': claimValue },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
  }

  /**
   * The conversation a plus-addressed email names, whoever sent it: the keys-only `conversation_id` index gives its
   * base-table key, then a strongly consistent read gives the item (receipts included). Undefined when none, or when
   * the id is ambiguous (two items share it). Tenant isolation is the caller's: it must only use a conversation whose
   * `company_id` is the receiving channel's company.
   */
  findById(conversationId: string): Promise<ConversationRecord | undefined> {
    return dependencyCall(DEPENDENCY, async () => {
      if (!isStorableKey(conversationId)) return undefined;
      const index = T.globalSecondaryIndexes.find((i) => i.partitionKey.name === T.sortKey.name);
      if (!index) throw new Error('No conversation_id index in TABLES.conversations');
      const found = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#id = :id',
          ExpressionAttributeNames: { '#id': index.partitionKey.name },
          ExpressionAttributeValues: { ':id': conversationId },
          Limit: 2,
        }),
      );
      const items = found.Items ?? [];
      if (items.length !== 1) return undefined;
      const key = {
        [T.partitionKey.name]: items[0]?.[T.partitionKey.name],
        [T.sortKey.name]: conversationId,
      };
      const current = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      return current.Item ? toRecord(current.Item) : undefined;
    });
  }
}
