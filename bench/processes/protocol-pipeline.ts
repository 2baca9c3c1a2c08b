import type { Conversations, MessageQueue } from '../../src/app/ports.js';
import { IN_PROGRESS_MS } from '../../src/app/process-webhook.js';
import { receiptAttribute, staleReceipts } from '../../src/domain/receipts.js';
import type { Pipeline } from './reference-pipeline.js';

/**
 * The gateway's own AWS protocol with the least code around it: the consistent Query, the conditional claim
 * (receipt + sequence number), the SendMessage, the completion — through the production adapters, so it stays
 * the same protocol — but no gateway emulation, verification, validation, context object or logging. Against it,
 * the gateway's throughput shows what its code costs; against the reference, what its protocol costs.
 */
export function protocolPipeline(deps: { conversations: Conversations; queue: MessageQueue }): Pipeline {
  return async (form) => {
    const messageId = form.get('MessageSid') ?? '';
    const from = (form.get('From') ?? '').replace(/^whatsapp:/, '');
    const to = form.get('To') ?? '';
    const conversation = (await deps.conversations.findBySender(from)).find((c) => c.company_channel === to);
    if (!conversation) throw new Error('no conversation');
    const key = {
      primary_channel: conversation.primary_channel,
      conversation_id: conversation.conversation_id,
    };
    const nowMs = Date.now();
    const attribute = receiptAttribute(messageId);
    const claim = await deps.conversations.claimMessage(key, {
      receiptAttribute: attribute,
      inProgressUntilMs: nowMs + IN_PROGRESS_MS + Math.random(),
      nowMs,
      staleReceipts: staleReceipts(conversation.receipts, nowMs, attribute),
      summary: {
        message_id: messageId,
        received_at: new Date(nowMs).toISOString(),
        channel_type: 'whatsapp',
      },
    });
    if (claim.outcome !== 'claimed') return 'duplicate';
    const body = JSON.stringify({
      conversation_id: conversation.conversation_id,
      sequence_number: claim.sequenceNumber,
      message: { from, to, body: form.get('Body') ?? '', message_id: messageId },
    });
    await deps.queue.send('whatsappReplies', body, { message_id: messageId, dedupe_key: messageId });
    await deps.conversations.completeMessage(key, attribute, Date.now());
    return 'accepted';
  };
}
