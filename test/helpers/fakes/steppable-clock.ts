import type { Clock } from '../../../src/app/ports.js';

/** A clock that stands still until a test moves it: time-dependent branches are reached by stepping, not waiting. */
export class SteppableClock implements Clock {
  private ms: number;

  constructor(start: Date = new Date('2026-03-02T09:00:00.000Z')) {
    this.ms = start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
