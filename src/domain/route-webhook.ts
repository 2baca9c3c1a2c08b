import { decideRoute, type HandoffReason, type RouteDecision } from './decide-route.js';
import { receiptAttribute, receiptStateAcross } from './receipts.js';
import { belongsTo, type Recipient, selectConversation } from './select-conversation.js';
import type { SenderTrust } from './sender-verdict.js';
import type { ConversationRecord, InboundMessage } from './types.js';

export interface RoutingInput {
  readonly message: InboundMessage;
  /** Every conversation of the sender (empty for a status callback: see `readsConversations`). */
  readonly records: readonly ConversationRecord[];
  readonly recipient: Recipient;
  readonly sender: SenderTrust;
  readonly nowMs: number;
}

/**
 * The whole routing decision of one verified webhook, as data; the use case executes it through the ports.
 * `duplicate` and `in-progress` come from the receipts already read with the conversations; the claim's
 * conditional write can still find either (a concurrent delivery), and the use case answers the same way then.
 */
export type Routing =
  | { readonly type: 'status-callback' }
  | {
      /** No live conversation: at most a fallback reply (never to an opted-out or untrusted sender). */
      readonly type: 'unknown-sender';
      readonly sendFallback: boolean;
    }
  | {
      /** STOP/START from a sender with no conversation: remembered per (company channel, sender), no reply. */
      readonly type: 'opt-out';
      readonly optedOut: boolean;
    }
  | { readonly type: 'duplicate'; readonly conversation: ConversationRecord }
  | { readonly type: 'in-progress'; readonly conversation: ConversationRecord }
  | {
      readonly type: 'enqueue';
      readonly conversation: ConversationRecord;
      readonly receiptAttribute: string;
      readonly target: 'ai' | 'handoff';
      readonly reason?: HandoffReason;
      /** Opt-out state to store on the conversation with this message. */
      readonly optedOut?: boolean;
    };

/** Status callbacks are decided without the sender's conversations: the use case skips that read for them. */
export function readsConversations(message: InboundMessage): boolean {
  return message.kind !== 'status';
}

export function routeWebhook(input: RoutingInput): Routing {
  const { message, records, recipient, sender, nowMs } = input;
  const conversation = selectConversation(records, recipient, message.email?.addressed_conversation_id);
  const decision: RouteDecision = decideRoute(message, conversation, sender);
  if (decision.type === 'status-callback') return decision;
  if (decision.type === 'unknown-sender' || !conversation) {
    if (decision.type === 'unknown-sender' && decision.optedOut !== undefined)
      return { type: 'opt-out', optedOut: decision.optedOut };
    // A sender who opted out on this channel (even in a closed conversation) never gets an automatic reply.
    const optedOut = records.some((r) => r.opted_out && r.company_channel === message.to);
    return {
      type: 'unknown-sender',
      sendFallback: decision.type === 'unknown-sender' && decision.sendFallback && !optedOut,
    };
  }
  const attribute = receiptAttribute(message.messageId);
  // Receipts are checked on all of the sender's conversations with this company, not just the selected one.
  const related = records.filter((r) => belongsTo(r, recipient));
  const state = receiptStateAcross(related, attribute, nowMs);
  if (state === 'done') return { type: 'duplicate', conversation };
  if (state === 'in-progress') return { type: 'in-progress', conversation };
  const { target, reason, optedOut } = decision;
  return {
    type: 'enqueue',
    conversation,
    receiptAttribute: attribute,
    target,
    ...(reason ? { reason } : {}),
    ...(optedOut !== undefined ? { optedOut } : {}),
  };
}
