import type { RouteDecision } from '../domain/decide-route.js';
import { DependencyError } from '../domain/errors.js';
import { belongsTo, isActive, type Recipient } from '../domain/select-conversation.js';
import type { SenderTrust } from '../domain/sender-verdict.js';
import type { ConversationRecord, InboundMessage } from '../domain/types.js';
import { OBSERVABILITY } from '../resources.js';
import type { Dependencies } from './ports.js';

export interface SenderMismatch {
  readonly conversation: ConversationRecord;
  readonly decision: Extract<RouteDecision, { type: 'enqueue' }>;
}

/**
 * A plus-addressed reply (`reply+<id>@…`) from an address that is not the conversation's own (work mail,
 * forwarding): found by id through the conversation_id index, and accepted ONLY when the conversation belongs to the
 * recipient's company — the id is sender-chosen, so another company's conversation must never be reachable. It goes
 * to a human (never the AI, never a fallback); anything else is the unknown-sender flow (undefined).
 */
export async function senderMismatch(
  message: InboundMessage,
  recipient: Recipient,
  trust: SenderTrust,
  deps: Pick<Dependencies, 'conversationsById' | 'metrics' | 'logger'>,
): Promise<SenderMismatch | undefined> {
  const id = message.email?.addressed_conversation_id;
  if (id === undefined || message.kind !== 'message') return undefined;
  let found: ConversationRecord | undefined;
  try {
    found = await deps.conversationsById.findById(id);
  } catch (error) {
    // A failed look-up must not drop the reply: 5xx, the provider retries.
    throw new DependencyError('conversations', { cause: error });
  }
  if (!found || found.company_id === undefined || found.company_id !== recipient.companyId) return undefined;
  if (!belongsTo(found, recipient) || !isActive(found)) return undefined;
  deps.metrics.count(OBSERVABILITY.metrics.senderMismatch);
  deps.logger.info('plus-addressed reply from another sender; handed to a human', {
    channel: message.channel,
    message_id: message.messageId,
    conversation_id: found.conversation_id,
  });
  return {
    conversation: found,
    decision: {
      type: 'enqueue',
      target: 'handoff',
      // An unauthenticated sender says more than the mismatch does.
      reason: trust.trusted ? 'sender_mismatch' : trust.reason,
    },
  };
}
