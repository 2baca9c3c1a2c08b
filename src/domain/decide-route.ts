import type { PermanentReason } from './errors.js';
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
  /** A message type the gateway cannot represent (a reaction, an order…): only a human can answer it. */
  | 'unsupported_message'
  /** The message could not be processed here (over a size limit, or unparseable): a human reads what was kept. */
  | 'too_large'
  | 'unprocessable'
  /** The AI's monthly budget (MONTHLY_QUOTA) is used up: people answer until it renews. */
  | 'quota_exceeded'
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
  if (message.unsupported_type !== undefined) return { target: 'handoff', reason: 'unsupported_message' };
  return { target: 'ai' };
}

/**
 * The target once the message is claimed, from what only the claim's winner may learn: a message the gateway could
 * not read (too large to process here, or unparseable) and one the AI's monthly budget no longer covers go to a
 * human instead of the AI. The provider still gets its 200: nothing is refused or lost.
 */
export function afterClaim(
  route: RouteTarget,
  facts: { readonly unprocessed?: PermanentReason | undefined; readonly aiBudgetLeft: boolean },
): RouteTarget {
  if (route.target !== 'ai') return route;
  const reason = facts.unprocessed ?? (facts.aiBudgetLeft ? undefined : 'quota_exceeded');
  return reason ? { ...route, target: 'handoff', reason } : route;
}
