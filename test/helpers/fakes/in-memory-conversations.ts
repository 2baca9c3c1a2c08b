import type {
  ClaimResult,
  ConversationKey,
  Conversations,
  ConversationsById,
  ReceiptClaim,
} from '../../../src/app/ports.js';
import type { ConversationRecord } from '../../../src/domain/types.js';
import { FaultPlan } from './fault-plan.js';

type Method = 'findBySender' | 'findById' | 'claimMessage' | 'completeMessage' | 'releaseMessage';

export interface StoredConversation extends ConversationRecord {
  readonly message_seq: number;
  readonly last_inbound_message?: ReceiptClaim['summary'];
}

function keyOf(key: ConversationKey): string {
  return `${key.primary_channel}\u0000${key.conversation_id}`;
}

/**
 * The Conversations table in memory, with the conditions of `DynamoDbConversations`: a claim takes a free receipt or
 * one whose in-progress time has passed, never a finished one; a retried write that already landed (same unique
 * claim value) counts as claimed; a missing item is `gone`; a release removes only this attempt's claim.
 */
export class InMemoryConversations implements Conversations, ConversationsById {
  readonly faults = new FaultPlan<Method>();
  private readonly items = new Map<string, StoredConversation>();

  put(record: ConversationRecord): void {
    this.items.set(keyOf(record), { ...record, message_seq: 0 });
  }

  delete(key: ConversationKey): void {
    this.items.delete(keyOf(key));
  }

  get(key: ConversationKey): StoredConversation | undefined {
    return this.items.get(keyOf(key));
  }

  /** Sets one receipt as another attempt (or a finished delivery) would have left it. */
  setReceipt(key: ConversationKey, attribute: string, value: number): void {
    const item = this.require(key);
    this.items.set(keyOf(key), { ...item, receipts: { ...item.receipts, [attribute]: value } });
  }

  /** Runs `change` once, right after the next read: another attempt acting between the read and the claim. */
  afterNextRead(change: () => void): void {
    this.pendingChange = change;
  }

  private pendingChange: (() => void) | undefined;

  async findBySender(primaryChannel: string): Promise<ConversationRecord[]> {
    const records = await this.faults.run('findBySender', [primaryChannel], () =>
      [...this.items.values()]
        .filter((item) => item.primary_channel === primaryChannel)
        .map((item) => ({ ...item, receipts: { ...item.receipts } })),
    );
    const change = this.pendingChange;
    this.pendingChange = undefined;
    change?.();
    return records;
  }

  claimMessage(key: ConversationKey, claim: ReceiptClaim): Promise<ClaimResult> {
    return this.faults.run('claimMessage', [key, claim], (): ClaimResult => {
      const item = this.items.get(keyOf(key));
      if (!item) return { outcome: 'gone' };
      const value = item.receipts[claim.receiptAttribute];
      const free = value === undefined || (value > 0 && value < claim.nowMs);
      if (!free) {
        if (value === claim.inProgressUntilMs)
          return { outcome: 'claimed', sequenceNumber: item.message_seq };
        return value < 0 ? { outcome: 'duplicate' } : { outcome: 'in-progress' };
      }
      const receipts: Record<string, number> = {
        ...item.receipts,
        [claim.receiptAttribute]: claim.inProgressUntilMs,
      };
      for (const stale of claim.staleReceipts) delete receipts[stale];
      const next: StoredConversation = {
        ...item,
        receipts,
        message_seq: item.message_seq + 1,
        last_inbound_message: claim.summary,
        updated_at: new Date(claim.nowMs).toISOString(),
        ...(claim.optedOut === undefined ? {} : { opted_out: claim.optedOut }),
      };
      this.items.set(keyOf(key), next);
      return { outcome: 'claimed', sequenceNumber: next.message_seq };
    });
  }

  completeMessage(key: ConversationKey, receiptAttribute: string, nowMs: number): Promise<void> {
    return this.faults.run('completeMessage', [key, receiptAttribute, nowMs], () => {
      this.setReceipt(key, receiptAttribute, -nowMs);
    });
  }

  releaseMessage(key: ConversationKey, receiptAttribute: string, claimValue: number): Promise<void> {
    return this.faults.run('releaseMessage', [key, receiptAttribute, claimValue], () => {
      const item = this.items.get(keyOf(key));
      if (!item || item.receipts[receiptAttribute] !== claimValue) return;
      const { [receiptAttribute]: _released, ...receipts } = item.receipts;
      this.items.set(keyOf(key), { ...item, receipts });
    });
  }

  /** The conversation_id index: an id held by exactly one item (any company's; the caller checks). */
  findById(conversationId: string): Promise<ConversationRecord | undefined> {
    return this.faults.run('findById', [conversationId], () => {
      const found = [...this.items.values()].filter((item) => item.conversation_id === conversationId);
      return found.length === 1 ? found[0] : undefined;
    });
  }

  private require(key: ConversationKey): StoredConversation {
    const item = this.items.get(keyOf(key));
    // DynamoDB's `attribute_exists(#sk)` condition: an update never creates the item.
    if (!item) throw new Error('ConditionalCheckFailedException: conversation does not exist');
    return item;
  }
}
