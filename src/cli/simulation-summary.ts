import type { DeliveryReport } from './twilio-delivery.js';

export interface SimulationSummary {
  readonly count: number;
  /** Accepted by the primary URL, first time or after retries. */
  readonly accepted: number;
  /** Messages that needed at least one retry on the primary URL (whatever their outcome). */
  readonly retried: number;
  /** Accepted only by the fallback URL. */
  readonly fallback: number;
  /** Neither URL accepted them: Twilio would give up (error 11200) and the reply is gone. */
  readonly lost: number;
  readonly attempts: number;
  /** Answers by status code, and failures by kind (`read-timeout`, `connect-error`…). */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly max: number };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] ?? 0);
}

export function summarise(reports: readonly DeliveryReport[]): SimulationSummary {
  const outcomes: Record<string, number> = {};
  let attempts = 0;
  for (const report of reports) {
    for (const { result } of report.attempts) {
      if (result.kind === 'failure' && result.failure === 'out-of-time') continue;
      attempts++;
      const key = result.kind === 'response' ? String(result.status) : result.failure;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
  }
  const durations = reports.map((r) => r.durationMs).sort((a, b) => a - b);
  return {
    count: reports.length,
    accepted: reports.filter((r) => r.outcome === 'accepted').length,
    retried: reports.filter((r) => r.retries > 0).length,
    fallback: reports.filter((r) => r.outcome === 'fallback').length,
    lost: reports.filter((r) => r.outcome === 'lost').length,
    attempts,
    outcomes,
    latencyMs: {
      p50: percentile(durations, 50),
      p95: percentile(durations, 95),
      max: percentile(durations, 100),
    },
  };
}
