import { decideTarget, type HandoffReason, type RouteTarget } from './decide-route.js';
import { receiptAttribute, receiptStateAcross } from './receipts.js';
import { belongsTo, isActive, type Recipient, selectConversation } from './select-conversation.js';
import type { SenderTrust } from './sender-verdict.js';
import type { ConversationRecord, InboundMessage } from './types.js';

export interface RoutingInput {
  readonly message: InboundMessage;
  /** Every conversation of the sender (empty for a status callback: see `readsConversations`). */
  readonly records: readonly ConversationRecord[];
  readonly recipient: Recipient;
  readonly sender: SenderTrust;
  readonly nowMs: number;
  /** The conversation a plus-address names, looked up by id when `conversationIdToLookUp` asked for it. */
  readonly addressed?: ConversationRecord;
}

/**
 * The whole routing decision of one verified webhook, as data; the use case only looks up what it needs and
 * executes it through the ports. `duplicate` and `in-progress` come from the receipts already read with the
 * conversations; the claim's conditional write can still find either (a concurrent delivery), and the use case
 * answers the same way then.
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
  | ({
      readonly type: 'enqueue';
      readonly conversation: ConversationRecord;
      readonly receiptAttribute: string;
      readonly reason?: HandoffReason;
    } & RouteTarget);

/** Status callbacks are decided without the sender's conversations: the use case skips that read for them. */
export function readsConversations(message: InboundMessage): boolean {
  return message.kind !== 'status';
}

export function routeWebhook(input: RoutingInput): Routing {
  const { message, records, recipient, sender, nowMs } = input;
  if (!readsConversations(message)) return { type: 'status-callback' };
  const conversation = selectConversation(records, recipient, message.email?.addressed_conversation_id);
  if (conversation) {
    // Receipts are checked on all of the sender's conversations with this company, not just the selected one.
    const related = records.filter((r) => belongsTo(r, recipient));
    return unlessSeen(conversation, related, message, nowMs, decideTarget(message, conversation, sender));
  }
  const none = withoutConversation(input);
  if (none.type !== 'unknown-sender' || !input.addressed) return none;
  return toAddressed(input, input.addressed) ?? none;
}

/**
 * The conversation id to look up before routing, if any: a plus-addressed reply (`reply+<id>@…`) for which none of
 * the sender's own conversations matched (work mail, forwarding). `routeWebhook` then decides with it.
 */
export function conversationIdToLookUp(input: RoutingInput): string | undefined {
  const id = input.message.email?.addressed_conversation_id;
  if (id === undefined) return undefined;
  return routeWebhook({ ...input, addressed: undefined }).type === 'unknown-sender' ? id : undefined;
}

function withoutConversation(input: RoutingInput): Extract<Routing, { type: 'unknown-sender' | 'opt-out' }> {
  const { message, records, sender } = input;
  // Spoofed senders cannot make us mail arbitrary addresses, nor record an opt-out for someone else.
  if (!sender.trusted) return { type: 'unknown-sender', sendFallback: false };
  if (message.optOut === 'STOP' || message.optOut === 'START')
    return { type: 'opt-out', optedOut: message.optOut === 'STOP' };
  // A sender who opted out on this channel (even in a closed conversation) never gets an automatic reply.
  const optedOut = records.some((r) => r.opted_out && r.company_channel === message.to);
  return { type: 'unknown-sender', sendFallback: message.optOut === undefined && !optedOut };
}

/**
 * A plus-addressed conversation found by id, accepted ONLY when it belongs to the recipient's company and is
 * active — the id is sender-chosen, so another company's conversation must never be reachable. It goes to a human
 * (never the AI, never a fallback); undefined means the unknown-sender flow goes on.
 */
function toAddressed(input: RoutingInput, found: ConversationRecord): Routing | undefined {
  const { message, recipient, sender, nowMs } = input;
  if (found.company_id === undefined || found.company_id !== recipient.companyId) return undefined;
  if (!belongsTo(found, recipient) || !isActive(found) || !sameChannel(found, message, recipient))
    return undefined;
  // An unauthenticated sender says more than the mismatch does.
  const reason = sender.trusted ? 'sender_mismatch' : sender.reason;
  return unlessSeen(found, [found], message, nowMs, { target: 'handoff', reason });
}

/**
 * The id names a conversation of the same channel: an email plus-address must never reach the company's WhatsApp
 * or SMS conversation (its context would carry the email as that candidate's message). A record without
 * `channel_type` (older items) must at least have been opened from this very company address.
 */
function sameChannel(found: ConversationRecord, message: InboundMessage, recipient: Recipient): boolean {
  if (found.channel_type !== undefined) return found.channel_type === message.channel;
  return found.company_channel === recipient.companyChannel;
}

function unlessSeen(
  conversation: ConversationRecord,
  related: readonly ConversationRecord[],
  message: InboundMessage,
  nowMs: number,
  { target, reason, optedOut }: RouteTarget,
): Routing {
  const attribute = receiptAttribute(message.messageId);
  const state = receiptStateAcross(related, attribute, nowMs);
  if (state === 'done') return { type: 'duplicate', conversation };
  if (state === 'in-progress') return { type: 'in-progress', conversation };
  return {
    type: 'enqueue',
    conversation,
    receiptAttribute: attribute,
    target,
    ...(reason ? { reason } : {}),
    ...(optedOut !== undefined ? { optedOut } : {}),
  };
}
