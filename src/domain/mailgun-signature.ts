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
  /** Allowed clock difference either way, in seconds. Default 300 (Mailgun's guidance: ±5 minutes). */
  toleranceSeconds?: number;
};

const DEFAULT_TOLERANCE_SECONDS = 300;
const MAX_TOKEN_LENGTH = 256;
const DIGITS = /^[0-9]+$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Verifies a Mailgun webhook: hex HMAC-SHA256, keyed with the webhook signing key, over `timestamp + token`.
 * Checks shape first, then the time window, then the HMAC in constant time under each key. Replayed tokens are
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
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  // A huge digit string becomes Infinity, which is never within the window.
  if (!(Math.abs(input.nowEpochSeconds - Number(timestamp)) <= tolerance)) {
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
