import type { ConversationRecord } from './types.js';

const INACTIVE = new Set(['closed', 'archived']);

/**
 * Of a sender's conversations, the one this webhook belongs to: same company channel, not closed or archived,
 * most recently updated first (CONTRACT: architecture.md, data model).
 */
export function selectConversation(
  records: readonly ConversationRecord[],
  companyChannel: string,
  addressedConversationId?: string,
): ConversationRecord | undefined {
  let best: ConversationRecord | undefined;
  for (const record of records) {
    if (INACTIVE.has(record.conversation_status)) continue;
    if (addressedConversationId !== undefined) {
      if (record.conversation_id === addressedConversationId) return record;
      continue;
    }
    if (record.company_channel !== companyChannel) continue;
    if (!best || (record.updated_at ?? '') > (best.updated_at ?? '')) best = record;
  }
  return best;
}
