import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time-equal.js';

export type MailgunVerification = { ok: true } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

export type MailgunSignatureInput = {
  timestamp: string;
  token: string;
  signature: string;
  /** Several keys during a rotation; empty strings are ignored. */
  signingKeys: readonly string[];
  nowEpochSeconds: number;
  /** How old a timestamp may be; default `MAILGUN_TIMESTAMP_WINDOW.maxAgeSeconds`. */
  maxAgeSeconds?: number;
  /** How far ahead of our clock a timestamp may be; default `MAILGUN_TIMESTAMP_WINDOW.maxAheadSeconds`. */
  maxAheadSeconds?: number;
};

/**
 * Mailgun retries a refused post for about 8 hours (10 min, 10 min, 15 min, 30 min, 1 h, 2 h, 4 h) and its retries
 * carry the original timestamp, token and signature; its own deliveries can also be delayed "outside its control".
 * So a timestamp may be up to 12 hours old (the whole schedule plus 4 hours of delay), and at most 5 minutes ahead
 * (clock skew: nothing legitimate is signed in the future). Replays inside the window are the token ledger's
 * business: a token is bound to the message it first came with (`mailgunTokenBinding`).
 */
export const MAILGUN_TIMESTAMP_WINDOW = { maxAgeSeconds: 12 * 60 * 60, maxAheadSeconds: 5 * 60 } as const;
const MAX_TOKEN_LENGTH = 256;
const DIGITS = /^[0-9]+$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Verifies a Mailgun webhook: hex HMAC-SHA256, keyed with the webhook signing key, over `timestamp + token`.
 * Checks shape first, then the time window (`MAILGUN_TIMESTAMP_WINDOW`), then the HMAC in constant time under each key. Replayed tokens are
 * the caller's business (this function is pure; remembering tokens needs storage).
 *
 * @example
 * verifyMailgunSignature({ timestamp, token, signature, signingKeys: [key], nowEpochSeconds: clock.now() });
 */
export function verifyMailgunSignature(input: MailgunSignatureInput): MailgunVerification {
  const { timestamp, token, signature } = input;
  if (
    typeof timestamp !== 'string' ||
    typeof token !== 'string' ||
    typeof signature !== 'string' ||
    !DIGITS.test(timestamp) ||
    token.length === 0 ||
    token.length > MAX_TOKEN_LENGTH ||
    !SHA256_HEX.test(signature)
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const maxAge = input.maxAgeSeconds ?? MAILGUN_TIMESTAMP_WINDOW.maxAgeSeconds;
  const maxAhead = input.maxAheadSeconds ?? MAILGUN_TIMESTAMP_WINDOW.maxAheadSeconds;
  const age = input.nowEpochSeconds - Number(timestamp);
  // A huge digit string becomes Infinity, which is never within the window.
  if (!(age <= maxAge && -age <= maxAhead)) {
    return { ok: false, reason: 'stale' };
  }
  const received = signature.toLowerCase();
  const signed = timestamp + token;
  for (const key of input.signingKeys) {
    if (typeof key !== 'string' || key.length === 0) {
      continue;
    }
    const expected = createHmac('sha256', key).update(signed, 'utf8').digest('hex');
    if (constantTimeEqual(expected, received)) {
      return { ok: true };
    }
  }
  return { ok: false, reason: 'mismatch' };
}
