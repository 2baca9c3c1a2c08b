import type { Logger, UsageCounter } from './ports.js';

/** At most one counter write per this many AI-bound messages per instance: 50 at the seed's 50,000 (0.02 calls). */
export function flushEvery(monthlyLimit: number): number {
  return Math.min(50, Math.max(1, Math.floor(monthlyLimit / 1000)));
}

/** This month's count as the stage's counter returned it at a flush (the Outcome carries it to the metrics). */
export interface BudgetReading {
  readonly used: number;
  readonly limit: number;
}

/**
 * The AI's monthly budget (`MONTHLY_QUOTA`): it counts only messages queued for the AI — a known conversation, an
 * authenticated sender, the first delivery — never duplicates, status callbacks, opt-outs, unknown senders, spam or
 * unverified senders, so nobody outside can use it up. Once it is used up the use case sends AI-bound messages to
 * the HandoffQueue (`quota_exceeded`) and the provider still gets its normal 200: nothing is refused or lost.
 *
 * Each instance counts in memory and adds its count to the stage's monthly counter every `flushEvery` messages (one
 * `UpdateItem ADD`, which returns the new total); once a total at or over the limit comes back, this instance hands
 * AI-bound messages to people until the month changes. Other instances learn it at their next flush, so the budget
 * may be overshot by up to `flushEvery` per instance; counts an instance dies with are lost (at most
 * `flushEvery - 1`). A counter failure never fails a webhook: the count is kept for the next flush.
 */
export class AiBudget {
  private month = '';
  private pending = 0;
  private exceeded = false;
  private readonly every: number;

  constructor(
    private readonly limit: number,
    private readonly counter: UsageCounter,
    private readonly logger: Logger,
  ) {
    this.every = flushEvery(limit);
  }

  /** Whether one more message may go to the AI this month, as far as this instance knows. */
  allows(now: Date): boolean {
    if (this.limit <= 0) return true;
    this.turnMonth(now);
    return !this.exceeded;
  }

  /** Counts one message queued for the AI; the month's total when this call wrote it to the counter. */
  async spend(now: Date): Promise<BudgetReading | undefined> {
    if (this.limit <= 0) return undefined;
    const month = this.turnMonth(now);
    this.pending += 1;
    if (this.pending < this.every) return undefined;
    const adding = this.pending;
    this.pending = 0;
    try {
      const used = await this.counter.add(month, adding, now.getTime());
      // The message that filled the budget went to the AI; only later ones go to people.
      if (month === this.month) this.exceeded = used >= this.limit;
      return { used, limit: this.limit };
    } catch (error) {
      if (month === this.month) this.pending += adding;
      this.logger.warn('AI budget counter unavailable; counted on the next flush', { error: String(error) });
      return undefined;
    }
  }

  private turnMonth(now: Date): string {
    const month = now.toISOString().slice(0, 7);
    if (month !== this.month) {
      this.month = month;
      this.pending = 0;
      this.exceeded = false;
    }
    return month;
  }
}
