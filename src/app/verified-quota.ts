import { QuotaExceededError } from '../domain/errors.js';
import { OBSERVABILITY } from '../resources.js';
import type { Clock, Logger, Metrics, UsageCounter } from './ports.js';

/** At most one counter write per this many verified webhooks per instance: 50 at the seed's 50,000 (0.02 calls). */
export function flushEvery(monthlyLimit: number): number {
  return Math.min(50, Math.max(1, Math.floor(monthlyLimit / 1000)));
}

/**
 * The seed's monthly quota (§3.3), counted on verified webhooks only: API Gateway's usage plan counts every request,
 * so anonymous junk could exhaust it and turn every genuine webhook into a 429 for the rest of the month.
 *
 * Each instance counts in memory and adds its count to the stage's monthly counter every `flushEvery` verified
 * webhooks (one `UpdateItem ADD`, which returns the new total); once a total at or over the limit comes back, this
 * instance refuses verified webhooks with 429 until the month changes. Other instances learn it at their next
 * flush, so the quota may be overshot by up to `flushEvery` per instance; counts an instance dies with are lost
 * (at most `flushEvery - 1`). A counter failure never fails a webhook: the count is kept for the next flush.
 */
export class VerifiedQuota {
  private month = '';
  private pending = 0;
  private exceeded = false;
  private readonly every: number;

  constructor(
    private readonly limit: number,
    private readonly counter: UsageCounter,
    private readonly deps: { readonly clock: Clock; readonly logger: Logger; readonly metrics: Metrics },
  ) {
    this.every = flushEvery(limit);
  }

  /** Called once per verified webhook; throws QuotaExceededError once this month's quota is known to be used up. */
  async admit(): Promise<void> {
    if (this.limit <= 0) return;
    const now = this.deps.clock.now();
    const month = now.toISOString().slice(0, 7);
    if (month !== this.month) {
      this.month = month;
      this.pending = 0;
      this.exceeded = false;
    }
    if (this.exceeded) throw new QuotaExceededError();
    this.pending += 1;
    if (this.pending < this.every) return;
    const adding = this.pending;
    this.pending = 0;
    try {
      const total = await this.counter.add(month, adding, now.getTime());
      this.deps.metrics.count(OBSERVABILITY.metrics.monthlyQuotaUsed, total);
      // The webhook that filled the quota is still inside it; only later ones are refused.
      this.exceeded = total >= this.limit;
    } catch (error) {
      this.pending += adding;
      this.deps.logger.warn('monthly quota counter unavailable; counted on the next flush', {
        error: String(error),
      });
    }
  }
}
