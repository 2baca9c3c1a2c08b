import type { QueueKey } from '../resources.js';

/**
 * One webhook's result as local tooling sees it (the inspector, the bench): the use case's Outcome, or the
 * refusal/failure the HTTP layer answered with. Only `src/http` produces these; the Lambda runtime has no observer.
 */
export type WebhookOutcome = (
  | {
      readonly verdict: 'queued';
      readonly queue: QueueKey;
      readonly route: 'ai' | 'handoff';
      readonly reason?: string;
      readonly context: unknown;
    }
  | { readonly verdict: 'duplicate' | 'status-callback' | 'unknown-sender'; readonly fallback?: string }
  | { readonly verdict: 'rejected'; readonly status: number; readonly code: string; readonly reason?: string }
  | { readonly verdict: 'failed'; readonly status: number; readonly code: string }
) & {
  /** A request carrying several messages (SES recipients, a Meta batch): every message's record, in order. */
  readonly batch?: readonly WebhookOutcome[];
};

export type OutcomeObserver = (requestId: string, outcome: WebhookOutcome) => void;
