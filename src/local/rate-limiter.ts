/**
 * API Gateway's stage throttle (token bucket: `rate` per second, `burst` capacity), as the local gateway enforces
 * it. `0` disables it. (The monthly quota is the AI budget, in the handler: `src/app/ai-budget.ts`.)
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = nowMs();
  }

  tryTake(): boolean {
    if (this.ratePerSecond <= 0 || this.burst <= 0) return true;
    const now = this.nowMs();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
