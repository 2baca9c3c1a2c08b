/**
 * API Gateway's stage throttle (token bucket: `rate` per second, `burst` capacity) and the usage plan's monthly
 * quota, as the local gateway enforces them. `0` disables either.
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

export class MonthlyQuota {
  private month = '';
  private used = 0;

  constructor(
    private readonly limit: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  tryConsume(): boolean {
    if (this.limit <= 0) return true;
    const month = this.now().toISOString().slice(0, 7);
    if (month !== this.month) {
      this.month = month;
      this.used = 0;
    }
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }
}
