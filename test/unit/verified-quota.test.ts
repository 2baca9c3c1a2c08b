import { describe, expect, it } from 'vitest';
import type { UsageCounter } from '../../src/app/ports.js';
import { flushEvery, VerifiedQuota } from '../../src/app/verified-quota.js';
import { QuotaExceededError } from '../../src/domain/errors.js';
import { InMemoryMetrics } from '../../src/local/in-memory-metrics.js';
import { RecordingLogger } from '../helpers/fakes/recording-logger.js';

class FakeCounter implements UsageCounter {
  readonly totals = new Map<string, number>();
  calls = 0;
  failing = false;
  async add(month: string, count: number): Promise<number> {
    this.calls += 1;
    if (this.failing) throw new Error('injected');
    const total = (this.totals.get(month) ?? 0) + count;
    this.totals.set(month, total);
    return total;
  }
}

function quota(limit: number, counter: FakeCounter, now = { value: new Date('2026-11-15T12:00:00Z') }) {
  const metrics = new InMemoryMetrics();
  const logger = new RecordingLogger();
  return {
    q: new VerifiedQuota(limit, counter, { clock: { now: () => now.value }, logger, metrics }),
    metrics,
    now,
  };
}

describe('VerifiedQuota', () => {
  it('amortises the counter: one write per 50 verified webhooks at the seed quota (0.02 calls per webhook)', async () => {
    const counter = new FakeCounter();
    const { q } = quota(50_000, counter);

    for (let i = 0; i < 1_000; i++) await q.admit();

    expect(flushEvery(50_000)).toBe(50);
    expect(counter.calls).toBe(20);
    expect(counter.totals.get('2026-11')).toBe(1_000);
  });

  it('admits up to the limit, then refuses with 429 until the month changes', async () => {
    const counter = new FakeCounter();
    const { q, now } = quota(3, counter);

    for (let i = 0; i < 3; i++) await q.admit();
    await expect(q.admit()).rejects.toBeInstanceOf(QuotaExceededError);
    now.value = new Date('2026-12-01T00:00:00Z');

    await expect(q.admit()).resolves.toBeUndefined();
  });

  it('never fails a webhook when the counter fails, and counts it at the next flush', async () => {
    const counter = new FakeCounter();
    const { q } = quota(10, counter);
    counter.failing = true;

    await q.admit();
    counter.failing = false;
    await q.admit();

    expect(counter.totals.get('2026-11')).toBe(2);
  });

  it('emits the running total for the 80 % alarm, and does nothing with no quota', async () => {
    const counter = new FakeCounter();
    const { q, metrics } = quota(2, counter);
    await q.admit();
    expect(metrics.get('MonthlyQuotaUsed')).toBe(1);

    const off = quota(0, counter).q;
    for (let i = 0; i < 10; i++) await off.admit();
    expect(counter.calls).toBe(1);
  });
});
