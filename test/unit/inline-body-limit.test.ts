import { describe, expect, it } from 'vitest';
import {
  EVENT_ENVELOPE_ALLOWANCE_BYTES,
  exceedsInlineLimit,
  LAMBDA_SYNC_PAYLOAD_BYTES,
  MAX_INLINE_BODY_BYTES,
  maxInlineBodyBytes,
} from '../../src/domain/inline-body-limit.js';

const base64Length = (n: number) => 4 * Math.ceil(n / 3);

describe('the largest inline Mailgun post one Lambda invocation carries', () => {
  it('is 4,681,728 bytes with a 6 MB payload and a 48 KiB envelope allowance', () => {
    expect(MAX_INLINE_BODY_BYTES).toBe(4_681_728);
  });

  it('is the largest body whose base64 form plus the envelope fits in the payload limit', () => {
    const fits = (n: number) => base64Length(n) + EVENT_ENVELOPE_ALLOWANCE_BYTES <= LAMBDA_SYNC_PAYLOAD_BYTES;
    expect(fits(MAX_INLINE_BODY_BYTES)).toBe(true);
    expect(fits(MAX_INLINE_BODY_BYTES + 1)).toBe(false);
    for (const envelopeBytes of [0, 1, 2, 3, 5_000, 65_536]) {
      const n = maxInlineBodyBytes({ envelopeBytes });
      const fitsWith = (m: number) => base64Length(m) + envelopeBytes <= LAMBDA_SYNC_PAYLOAD_BYTES;
      expect(fitsWith(n)).toBe(true);
      expect(fitsWith(n + 1)).toBe(false);
    }
  });

  it('answers 406 above the limit: a 4.6 MiB post is refused, the old 5 MB route limit was unreachable', () => {
    expect(exceedsInlineLimit(MAX_INLINE_BODY_BYTES)).toBe(false);
    expect(exceedsInlineLimit(MAX_INLINE_BODY_BYTES + 1)).toBe(true);
    expect(exceedsInlineLimit(Math.round(4.6 * 1024 * 1024))).toBe(true);
    expect(MAX_INLINE_BODY_BYTES).toBeLessThan(5 * 1024 * 1024);
  });

  it('is 0, not negative, when the envelope alone fills the payload', () => {
    expect(maxInlineBodyBytes({ payloadLimitBytes: 1_000, envelopeBytes: 2_000 })).toBe(0);
  });
});
