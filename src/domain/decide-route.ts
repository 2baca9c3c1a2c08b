import type { SenderTrust, UntrustedReason } from './sender-verdict.js';
import type { ConversationRecord, InboundMessage } from './types.js';

export type HandoffReason =
  | 'hand_off_to_human'
  | 'opt_out'
  | 'opt_in'
  | 'help'
  | 'opted_out'
  /** A plus-addressed reply from another address than the conversation's (a forward, or a spoof): a human decides. */
  | 'sender_mismatch'
  | UntrustedReason;

const TRUSTED: SenderTrust = { trusted: true };

/** Decisions are data: the application executes them through the ports; the domain stays testable without I/O. */
export type RouteDecision =
  | { readonly type: 'status-callback' }
  | {
      readonly type: 'unknown-sender';
      readonly sendFallback: boolean;
      /** STOP/START from a sender with no conversation: remembered per (company channel, sender). */
      readonly optedOut?: boolean;
    }
  | {
      readonly type: 'enqueue';
      readonly target: 'ai' | 'handoff';
      readonly reason?: HandoffReason;
      /** Opt-out state to store on the conversation with this message. */
      readonly optedOut?: boolean;
    };

export function decideRoute(
  message: InboundMessage,
  conversation: ConversationRecord | undefined,
  sender: SenderTrust = TRUSTED,
): RouteDecision {
  if (message.kind === 'status') return { type: 'status-callback' };
  // A sender the provider could not authenticate (or flagged as spam) never reaches the AI and is never answered
  // automatically: a human decides, and spoofed senders cannot make us mail arbitrary addresses.
  if (!sender.trusted) {
    if (!conversation) return { type: 'unknown-sender', sendFallback: false };
    return { type: 'enqueue', target: 'handoff', reason: sender.reason };
  }
  // Opt-out keywords are never answered automatically: Twilio already replies to them, and a STOP must not
  // trigger any message from us.
  if (!conversation) {
    if (message.optOut === 'STOP') return { type: 'unknown-sender', sendFallback: false, optedOut: true };
    if (message.optOut === 'START') return { type: 'unknown-sender', sendFallback: false, optedOut: false };
    return { type: 'unknown-sender', sendFallback: message.optOut === undefined };
  }
  switch (message.optOut) {
    case 'STOP':
      return { type: 'enqueue', target: 'handoff', reason: 'opt_out', optedOut: true };
    case 'START':
      return { type: 'enqueue', target: 'handoff', reason: 'opt_in', optedOut: false };
    case 'HELP':
      return { type: 'enqueue', target: 'handoff', reason: 'help' };
  }
  if (conversation.opted_out) return { type: 'enqueue', target: 'handoff', reason: 'opted_out' };
  if (conversation.hand_off_to_human)
    return { type: 'enqueue', target: 'handoff', reason: 'hand_off_to_human' };
  return { type: 'enqueue', target: 'ai' };
}
