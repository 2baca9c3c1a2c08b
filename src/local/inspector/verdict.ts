import type { WebhookOutcome } from '../../http/observed-outcome.js';
import { QUEUES } from '../../resources.js';

type Verdict =
  | 'queued'
  | 'duplicate'
  | 'status-callback'
  | 'unknown-sender'
  | 'forged'
  | 'replayed'
  | 'stale'
  | 'unknown-recipient'
  | 'rejected'
  | 'failed'
  | 'unobserved';

export interface VerdictView {
  readonly verdict: Verdict;
  /** One line for people: what the gateway decided and why. */
  readonly label: string;
}

const FORBIDDEN: Readonly<Record<string, VerdictView>> = {
  signature: { verdict: 'forged', label: 'forged — 403, the signature does not match' },
  replayed: {
    verdict: 'replayed',
    label: 'replayed — 403, this Mailgun token was already used with another message',
  },
  stale: { verdict: 'stale', label: 'stale — 403, the Mailgun timestamp is outside ±5 minutes' },
  'unknown-recipient': {
    verdict: 'unknown-recipient',
    label: 'unknown recipient — 403, the company channel is not in the registry',
  },
};

/** The outcome the application reported, in the inspector's vocabulary (a 403 says which check failed). */
export function verdictOf(outcome: WebhookOutcome | undefined, status: number): VerdictView {
  if (!outcome) return { verdict: 'unobserved', label: `HTTP ${status} (no outcome reported)` };
  switch (outcome.verdict) {
    case 'queued': {
      const route = outcome.reason ? `${outcome.route}, ${outcome.reason}` : outcome.route;
      return { verdict: 'queued', label: `verified, queued → ${QUEUES[outcome.queue].name} (${route})` };
    }
    case 'duplicate':
      return { verdict: 'duplicate', label: 'duplicate — verified, acknowledged, not queued again' };
    case 'status-callback':
      return { verdict: 'status-callback', label: 'status callback — verified, acknowledged' };
    case 'unknown-sender':
      return {
        verdict: 'unknown-sender',
        label: `unknown sender — no active conversation${outcome.fallback ? `; fallback ${outcome.fallback}` : ''}`,
      };
    case 'rejected': {
      const known = outcome.reason ? FORBIDDEN[outcome.reason] : undefined;
      if (known && outcome.status === 403) return known;
      return {
        verdict: 'rejected',
        label: `rejected — ${outcome.status} ${outcome.code}${outcome.reason ? ` (${outcome.reason})` : ''}`,
      };
    }
    case 'failed':
      return {
        verdict: 'failed',
        label: `failed — ${outcome.status} ${outcome.code}; the provider would retry`,
      };
  }
}
