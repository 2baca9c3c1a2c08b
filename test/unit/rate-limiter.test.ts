import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/local/rate-limiter.js';

describe('TokenBucket (API Gateway stage throttle)', () => {
  it('allows the burst at once, then the steady rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 20, () => now);

    const burst = Array.from({ length: 25 }, () => bucket.tryTake()).filter(Boolean).length;
    now += 500;
    const afterHalfSecond = Array.from({ length: 10 }, () => bucket.tryTake()).filter(Boolean).length;

    expect(burst).toBe(20);
    expect(afterHalfSecond).toBe(5);
  });

  it('is disabled by 0', () => {
    const bucket = new TokenBucket(0, 0);

    expect(Array.from({ length: 100 }, () => bucket.tryTake()).every(Boolean)).toBe(true);
  });
});
