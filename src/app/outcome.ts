import type { ContextObject } from '../domain/context-object.js';
import type { HandoffReason } from '../domain/decide-route.js';
import type { SenderTrust } from '../domain/sender-verdict.js';
import type { QueueKey } from '../resources.js';
import type { BudgetReading } from './ai-budget.js';

/** What became of a verified unknown sender's courtesy reply (the webhook is acknowledged whatever it is). */
export type FallbackResult = 'sent' | 'already-sent' | 'suppressed' | 'failed';

/**
 * What `processWebhook` did with one message of a webhook (or with a control request), as data. Every variant is an acknowledgement (2xx): refusals and
 * failures are thrown as `WebhookError`s. `src/http/outcome-response.ts` turns an Outcome into the provider's
 * answer, its metrics and the record local tooling sees; nothing in `src/app` reports it any other way.
 * `sender` is the provider's view of the sender as the registry's policy judged it (absent for status callbacks).
 */
export type Outcome =
  | {
      readonly kind: 'queued';
      readonly queue: QueueKey;
      readonly route: 'ai' | 'handoff';
      readonly reason?: HandoffReason;
      /** Opt-out state stored on the conversation with this message (STOP / START). */
      readonly optedOut?: boolean;
      /** The AI budget's monthly count, when this message's count was written (a flush): for the metrics. */
      readonly budget?: BudgetReading;
      readonly context: ContextObject;
      readonly sender: SenderTrust;
    }
  | { readonly kind: 'duplicate'; readonly sender: SenderTrust }
  | { readonly kind: 'status-callback' }
  | { readonly kind: 'unknown-sender'; readonly fallback: FallbackResult; readonly sender: SenderTrust }
  /** STOP/START from a sender with no conversation: remembered on the fallback ledger, never answered. */
  | { readonly kind: 'opt-out'; readonly optedOut: boolean; readonly sender: SenderTrust }
  /** A verified SNS SubscriptionConfirmation (confirmed) or UnsubscribeConfirmation (logged): SES inbound. */
  | { readonly kind: 'subscription' }
  /** A provider's subscription check answered with its challenge (Meta's GET with the right verify token). */
  | { readonly kind: 'challenge'; readonly challenge: string }

  /** The stage's own verified heartbeat (`src/app/heartbeat.ts`): counted for the silence alarm, never queued. */
  | { readonly kind: 'heartbeat' };
