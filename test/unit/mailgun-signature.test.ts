import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyMailgunSignature } from '../../src/domain/mailgun-signature.js';

const HEX = '0123456789abcdef';

function sign(key: string, timestamp: string, token: string): string {
  return createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
}

describe('verifyMailgunSignature: one valid request, one thing broken per test', () => {
  const key = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
  const now = 1_764_316_800;
  const timestamp = String(now - 20);
  const token = 'c1f4a5e0b8d94d7a9a0e3b2f6c7d8e9fa0b1c2d3e4f5a6b7c8';
  const valid = {
    timestamp,
    token,
    signature: sign(key, timestamp, token),
    signingKeys: [key],
    nowEpochSeconds: now,
  };

  it('accepts the request as signed', () => {
    expect(verifyMailgunSignature(valid)).toEqual({ ok: true });
  });

  it.each<[string, Partial<typeof valid>]>([
    ['a wrong key', { signingKeys: ['key-00000000000000000000000000000000'] }],
    ['no keys', { signingKeys: [] }],
    ['an empty key', { signingKeys: [''] }],
    ['a changed token', { token: `${token}x` }],
    ['a changed timestamp inside the window', { timestamp: String(now - 21) }],
  ])('reports a mismatch for %s', (_case, change) => {
    // Prepare
    const input = { ...valid, ...change };

    // Act
    const result = verifyMailgunSignature(input);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    ['past', now - 12 * 3600 - 1, 'older than 12 hours'],
    ['future', now + 301, 'more than 300 s ahead'],
  ])('reports a %s timestamp %s as stale, even when correctly signed', (_case, when) => {
    // Prepare
    const input = { ...valid, timestamp: String(when), signature: sign(key, String(when), token) };

    // Act
    const result = verifyMailgunSignature(input);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'stale' });
  });

  it.each([
    ['12 hours old (Mailgun retries for 8 h with the original timestamp)', now - 12 * 3600],
    ['20 minutes old (a delayed first delivery)', now - 20 * 60],
    ['300 s ahead (clock skew)', now + 300],
  ])('accepts a timestamp %s', (_case, when) => {
    // Prepare
    const edge = String(when);
    const input = { ...valid, timestamp: edge, signature: sign(key, edge, token) };

    // Act
    const result = verifyMailgunSignature(input);

    // Assess
    expect(result).toEqual({ ok: true });
  });

  it('honours a custom window', () => {
    // Prepare
    const input = { ...valid, maxAgeSeconds: 10 };

    // Act
    const result = verifyMailgunSignature(input);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'stale' });
  });

  it.each<[string, Partial<typeof valid>]>([
    ['a signature one char short', { signature: valid.signature.slice(1) }],
    ['a signature one char long', { signature: `${valid.signature}0` }],
    ['a non-hex signature', { signature: `${valid.signature.slice(1)}g` }],
    ['an empty signature', { signature: '' }],
    ['a base64 signature', { signature: Buffer.from(valid.signature, 'hex').toString('base64') }],
    ['an empty timestamp', { timestamp: '' }],
    ['a negative timestamp', { timestamp: `-${timestamp}` }],
    ['a fractional timestamp', { timestamp: `${timestamp}.5` }],
    ['a timestamp with spaces', { timestamp: ` ${timestamp}` }],
    ['a timestamp in non-ASCII digits', { timestamp: '١٧٦٤٣١٦٧٨٠' }],
    ['an empty token', { token: '' }],
    ['a token longer than 256 chars', { token: 'a'.repeat(257) }],
  ])('reports %s as malformed', (_case, change) => {
    // Prepare
    const input = { ...valid, ...change };

    // Act
    const result = verifyMailgunSignature(input);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reports a missing field as malformed at run time', () => {
    // Prepare
    const input = { ...valid, token: undefined as unknown as string };

    // Act
    const result = verifyMailgunSignature(input);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reports an absurdly large timestamp as stale', () => {
    // Prepare
    const huge = '9'.repeat(400);
    const input = { ...valid, timestamp: huge, signature: sign(key, huge, token) };

    // Act
    const result = verifyMailgunSignature(input);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'stale' });
  });

  it('accepts an upper-case hex signature', () => {
    // Prepare
    const input = { ...valid, signature: valid.signature.toUpperCase() };

    // Act
    const result = verifyMailgunSignature(input);

    // Assess
    expect(result).toEqual({ ok: true });
  });

  it('accepts a token of exactly 256 chars', () => {
    // Prepare
    const longToken = 'b'.repeat(256);
    const input = { ...valid, token: longToken, signature: sign(key, timestamp, longToken) };

    // Act
    const result = verifyMailgunSignature(input);

    // Assess
    expect(result).toEqual({ ok: true });
  });

  it('accepts the second key during a rotation', () => {
    // Prepare
    const input = { ...valid, signingKeys: ['key-00000000000000000000000000000000', key] };

    // Act
    const result = verifyMailgunSignature(input);

    // Assess
    expect(result).toEqual({ ok: true });
  });
});

describe('verifyMailgunSignature: properties', () => {
  const now = 1_764_316_800;
  const timestamp = fc.integer({ min: now - 12 * 3600, max: now + 300 }).map(String);
  const token = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }).filter((t) => t.length <= 256);
  const key = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 });

  it('verifies whatever was signed with the key', () => {
    fc.assert(
      fc.property(timestamp, token, key, (ts, tok, signingKey) => {
        // Act
        const result = verifyMailgunSignature({
          timestamp: ts,
          token: tok,
          signature: sign(signingKey, ts, tok),
          signingKeys: [signingKey],
          nowEpochSeconds: now,
        });

        // Assess
        expect(result).toEqual({ ok: true });
      }),
      { numRuns: 300 },
    );
  });

  it('rejects the signature with any single hex digit changed', () => {
    fc.assert(
      fc.property(timestamp, token, key, fc.nat(63), fc.nat(14), (ts, tok, signingKey, at, by) => {
        // Prepare
        const signature = sign(signingKey, ts, tok);
        const alternatives = HEX.replace(signature.charAt(at), '');
        const changed = signature.slice(0, at) + alternatives.charAt(by) + signature.slice(at + 1);

        // Act
        const result = verifyMailgunSignature({
          timestamp: ts,
          token: tok,
          signature: changed,
          signingKeys: [signingKey],
          nowEpochSeconds: now,
        });

        // Assess
        expect(result).toEqual({ ok: false, reason: 'mismatch' });
      }),
      { numRuns: 300 },
    );
  });
});
