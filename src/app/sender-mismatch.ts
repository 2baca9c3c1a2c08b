import { receiptAttribute, receiptStateAcross } from '../domain/receipts.js';
import type { Routing } from '../domain/route-webhook.js';
import { belongsTo, isActive, type Recipient } from '../domain/select-conversation.js';
import type { SenderTrust } from '../domain/sender-verdict.js';
import type { ConversationRecord, InboundMessage } from '../domain/types.js';
import type { Dependencies } from './ports.js';

/**
 * A plus-addressed reply (`reply+<id>@…`) from an address that is not the conversation's own (work mail,
 * forwarding), for which routing found no conversation of this sender: looked up by id through the conversation_id
 * index and accepted ONLY when the conversation belongs to the recipient's company and is active — the id is
 * sender-chosen, so another company's conversation must never be reachable. It goes to a human (never the AI, never
 * a fallback) with `sender_mismatch`; undefined means the unknown-sender flow goes on as routed.
 */
/**
 * The id names a conversation of the same channel: an email plus-address must never reach the company's WhatsApp
 * or SMS conversation (its context would carry the email as that candidate's message). A record without
 * `channel_type` (older items) must at least have been opened from this very company address.
 */
function sameChannel(found: ConversationRecord, message: InboundMessage, recipient: Recipient): boolean {
  if (found.channel_type !== undefined) return found.channel_type === message.channel;
  return found.company_channel === recipient.companyChannel;
}

export async function senderMismatch(
  message: InboundMessage,
  recipient: Recipient,
  sender: SenderTrust,
  deps: Pick<Dependencies, 'conversationsById' | 'logger' | 'clock'>,
): Promise<Routing | undefined> {
  const id = message.email?.addressed_conversation_id;
  if (id === undefined) return undefined;
  // A failed look-up is the adapter's DependencyError: 503, the provider retries, the reply is not dropped.
  const found: ConversationRecord | undefined = await deps.conversationsById.findById(id);
  if (!found || found.company_id === undefined || found.company_id !== recipient.companyId) return undefined;
  if (!belongsTo(found, recipient) || !isActive(found) || !sameChannel(found, message, recipient))
    return undefined;
  const attribute = receiptAttribute(message.messageId);
  const state = receiptStateAcross([found], attribute, deps.clock.now().getTime());
  if (state === 'done') return { type: 'duplicate', conversation: found };
  if (state === 'in-progress') return { type: 'in-progress', conversation: found };
  deps.logger.info('plus-addressed reply from another sender; handed to a human', {
    channel: message.channel,
    message_id: message.messageId,
    conversation_id: found.conversation_id,
  });
  return {
    type: 'enqueue',
    conversation: found,
    receiptAttribute: attribute,
    target: 'handoff',
    // An unauthenticated sender says more than the mismatch does.
    reason: sender.trusted ? 'sender_mismatch' : sender.reason,
  };
}
