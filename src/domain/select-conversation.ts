import type { ConversationRecord } from './types.js';

const INACTIVE = new Set(['closed', 'archived']);

/** The company-side address that received the webhook, and the company its registry entry belongs to. */
export interface Recipient {
  readonly companyChannel: string;
  readonly companyId: string;
}

/**
 * Of a sender's conversations, the one this webhook belongs to: same company channel, not closed or archived,
 * most recently updated first (CONTRACT: architecture.md, data model).
 *
 * A plus-addressed conversation id (`reply+<id>@…`) is honoured only for a conversation of the same company as the
 * recipient's registry entry: the sender chooses the id, so another company's conversation must never be reachable
 * through it. Otherwise the webhook is treated as if no plus-address had been given.
 */
export function selectConversation(
  records: readonly ConversationRecord[],
  recipient: Recipient,
  addressedConversationId?: string,
): ConversationRecord | undefined {
  if (addressedConversationId !== undefined) {
    const addressed = records.find(
      (r) =>
        r.conversation_id === addressedConversationId &&
        !INACTIVE.has(r.conversation_status) &&
        belongsTo(r, recipient),
    );
    if (addressed) return addressed;
  }
  let best: ConversationRecord | undefined;
  for (const record of records) {
    if (INACTIVE.has(record.conversation_status)) continue;
    if (record.company_channel !== recipient.companyChannel) continue;
    if (!best || (record.updated_at ?? '') > (best.updated_at ?? '')) best = record;
  }
  return best;
}

/** A record without a company id (older items) belongs to the recipient only through its company channel. */
export function belongsTo(record: ConversationRecord, recipient: Recipient): boolean {
  if (record.company_id !== undefined) return record.company_id === recipient.companyId;
  return record.company_channel === recipient.companyChannel;
}

/** Closed and archived conversations take no more messages (a new one is started instead). */
export function isActive(record: ConversationRecord): boolean {
  return !INACTIVE.has(record.conversation_status);
}
