import type { Clock } from '../../../src/app/ports.js';

/**
 * The one test clock: time-dependent branches are reached by stepping it, not by waiting.
 * - `new SteppableClock()` stands still (at 2026-03-02T09:00Z, or the date given) until a test moves it: unit tests
 *   over the in-memory fakes.
 * - `new SteppableClock('wall-clock')` follows real time, moved on by the test's steps: the local stack, whose
 *   requests are signed by the CLI's signers and the emulators with the real time.
 */
export class SteppableClock implements Clock {
  private readonly base: () => number;
  private offsetMs = 0;

  constructor(start: Date | 'wall-clock' = new Date('2026-03-02T09:00:00.000Z')) {
    const startMs = start === 'wall-clock' ? undefined : start.getTime();
    this.base = startMs === undefined ? Date.now : () => startMs;
  }

  now(): Date {
    return new Date(this.base() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Undoes every step taken so far. */
  reset(): void {
    this.offsetMs = 0;
  }
}
