import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha1Base64 } from '../../src/domain/hmac-sha1.js';

const reference = (key: string, data: string) =>
  createHmac('sha1', key).update(data, 'utf8').digest('base64');

describe('hmacSha1Base64 (hand-written fast path)', () => {
  it('matches RFC 2202 test case 2', () => {
    expect(
      Buffer.from(hmacSha1Base64('Jefe', 'what do ya want for nothing?'), 'base64').toString('hex'),
    ).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  });

  it('equals node:crypto createHmac for any key (short ASCII, long, non-ASCII) and any message', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 64 }),
          fc.string({ minLength: 65, maxLength: 200 }),
          fc.string({ unit: 'grapheme' }),
        ),
        fc.string({ unit: 'grapheme', maxLength: 2000 }),
        (key, data) => {
          expect(hmacSha1Base64(key, data)).toBe(reference(key, data));
        },
      ),
      { numRuns: 500 },
    );
  });
});
