import type { Provider } from '../app/channels/channel-protocol.js';
import type { Outcome } from '../app/outcome.js';
import type { Metrics } from '../app/ports.js';
import type { WebhookResponse } from '../app/webhook-request.js';
import type { SenderTrust } from '../domain/sender-verdict.js';
import { OBSERVABILITY } from '../resources.js';
import type { WebhookOutcome } from './observed-outcome.js';

const M = OBSERVABILITY.metrics;

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** Each provider's acknowledgement: Twilio reads TwiML (empty = send nothing back); Mailgun any 2xx. */
const ACKNOWLEDGEMENTS: Readonly<Record<Provider, WebhookResponse>> = {
  twilio: { statusCode: 200, headers: { 'Content-Type': 'text/xml' }, body: EMPTY_TWIML },
  mailgun: {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: 'accepted' }),
  },
  // SNS reads only the status code.
  ses: {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: 'accepted' }),
  },
};

export interface OutcomeReport {
  readonly response: WebhookResponse;
  /** For the local observer. */
  readonly observed: WebhookOutcome;
}

/**
 * The one place an Outcome becomes the provider's answer, metrics and the local observer's record (the errors'
 * counterpart is `error-response.ts`). Every Outcome is an acknowledgement: the provider must not redeliver.
 *
 * @param elapsedMs time since the request was received, recorded for queued messages
 */
export function outcomeResponse(
  outcome: Outcome,
  provider: Provider,
  metrics: Metrics,
  elapsedMs: number,
): OutcomeReport {
  if (outcome.kind !== 'status-callback' && outcome.kind !== 'subscription' && outcome.kind !== 'heartbeat')
    countSender(outcome.sender, metrics);
  return { response: ACKNOWLEDGEMENTS[provider], observed: observe(outcome, metrics, elapsedMs) };
}

function observe(outcome: Outcome, metrics: Metrics, elapsedMs: number): WebhookOutcome {
  switch (outcome.kind) {
    case 'status-callback':
      metrics.count(M.statusCallback);
      return { verdict: 'status-callback' };
    case 'subscription':
      // A provider control message, like a status callback, for local tooling; not counted as one.
      return { verdict: 'status-callback' };
    case 'heartbeat':
      metrics.count(M.heartbeat);
      return { verdict: 'status-callback' };
    case 'duplicate':
      metrics.count(M.duplicate);
      return { verdict: 'duplicate' };
    case 'opt-out':
      metrics.count(M.unknownSender);
      if (outcome.optedOut) metrics.count(M.optOut);
      return { verdict: 'unknown-sender', fallback: 'suppressed' };
    case 'unknown-sender':
      metrics.count(M.unknownSender);
      if (outcome.fallback === 'sent') metrics.count(M.fallbackSent);
      if (outcome.fallback === 'failed') metrics.count(M.fallbackFailed);
      return { verdict: 'unknown-sender', fallback: outcome.fallback };
    case 'queued':
      if (outcome.optedOut === true) metrics.count(M.optOut);
      if (outcome.reason === 'sender_mismatch') metrics.count(M.senderMismatch);
      if (outcome.reason === 'quota_exceeded') metrics.count(M.quotaExceededHandoff);
      if (outcome.budget) {
        metrics.count(M.monthlyQuotaUsed, outcome.budget.used);
        metrics.count(M.monthlyQuotaUsedPercent, (100 * outcome.budget.used) / outcome.budget.limit);
      }
      metrics.milliseconds(M.processingTime, elapsedMs);
      return {
        verdict: 'queued',
        queue: outcome.queue,
        route: outcome.route,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        context: outcome.context,
      };
  }
}

const SENDER_METRIC = {
  spam: M.senderSpam,
  virus: M.senderVirus,
  sender_unverified: M.senderUnverified,
} as const;

function countSender(sender: SenderTrust, metrics: Metrics): void {
  if (!sender.trusted) metrics.count(SENDER_METRIC[sender.reason]);
  else if (sender.unknown) metrics.count(M.senderVerdictsAbsent);
}
