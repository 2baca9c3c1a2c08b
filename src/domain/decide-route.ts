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

/** Where a message of a live conversation goes, and the opt-out state it records on the conversation. */
export interface RouteTarget {
  readonly target: 'ai' | 'handoff';
  readonly reason?: HandoffReason;
  /** Opt-out state to store on the conversation with this message. */
  readonly optedOut?: boolean;
}

/** The queue decision for a message whose conversation was found (see `routeWebhook` for the rest). */
export function decideTarget(
  message: InboundMessage,
  conversation: ConversationRecord,
  sender: SenderTrust,
): RouteTarget {
  // A sender the provider could not authenticate (or flagged as spam) never reaches the AI: a human decides.
  if (!sender.trusted) return { target: 'handoff', reason: sender.reason };
  // Opt-out keywords are never answered automatically: Twilio already replies to them, and a STOP must not
  // trigger any message from us.
  switch (message.optOut) {
    case 'STOP':
      return { target: 'handoff', reason: 'opt_out', optedOut: true };
    case 'START':
      return { target: 'handoff', reason: 'opt_in', optedOut: false };
    case 'HELP':
      return { target: 'handoff', reason: 'help' };
  }
  if (conversation.opted_out) return { target: 'handoff', reason: 'opted_out' };
  if (conversation.hand_off_to_human) return { target: 'handoff', reason: 'hand_off_to_human' };
  return { target: 'ai' };
}
