import { describe, expect, it } from 'vitest';
import { AiBudget, flushEvery } from '../../src/app/ai-budget.js';
import type { UsageCounter } from '../../src/app/ports.js';
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

const NOVEMBER = new Date('2026-11-15T12:00:00Z');

function budget(limit: number, counter: FakeCounter) {
  return new AiBudget(limit, counter, new RecordingLogger());
}

describe('AiBudget (MONTHLY_QUOTA: messages queued for the AI)', () => {
  it('amortises the counter: one write per 50 AI-bound messages at the seed quota (0.02 calls per message)', async () => {
    const counter = new FakeCounter();
    const b = budget(50_000, counter);

    for (let i = 0; i < 1_000; i++) await b.spend(NOVEMBER);

    expect(flushEvery(50_000)).toBe(50);
    expect(counter.calls).toBe(20);
    expect(counter.totals.get('2026-11')).toBe(1_000);
  });

  it('allows up to the limit (the message that fills it included), then no more until the month changes', async () => {
    const counter = new FakeCounter();
    const b = budget(3, counter);
    const allowed: boolean[] = [];

    for (let i = 0; i < 5; i++) {
      allowed.push(b.allows(NOVEMBER));
      if (allowed.at(-1)) await b.spend(NOVEMBER);
    }

    expect(allowed).toEqual([true, true, true, false, false]);
    expect(b.allows(new Date('2026-12-01T00:00:00Z'))).toBe(true);
  });

  it('never fails a message when the counter fails, and counts it at the next flush', async () => {
    const counter = new FakeCounter();
    const b = budget(10, counter);
    counter.failing = true;

    await expect(b.spend(NOVEMBER)).resolves.toBeUndefined();
    counter.failing = false;
    await b.spend(NOVEMBER);

    expect(counter.totals.get('2026-11')).toBe(2);
  });

  it('reports the running total at each flush (for the 80 % and 100 % alarms), and nothing with no budget', async () => {
    const counter = new FakeCounter();

    await expect(budget(2, counter).spend(NOVEMBER)).resolves.toEqual({ used: 1, limit: 2 });

    const off = budget(0, counter);
    for (let i = 0; i < 10; i++) {
      expect(off.allows(NOVEMBER)).toBe(true);
      await off.spend(NOVEMBER);
    }
    expect(counter.calls).toBe(1);
  });
});
