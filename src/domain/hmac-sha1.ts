import * as crypto from 'node:crypto';

/*
 * HMAC-SHA1 (RFC 2104) as two one-shot `crypto.hash` calls over cached padded keys: 1.5-2x faster than
 * `createHmac` for a webhook-sized message, which matters on the hot path. Only for ASCII keys of at most one
 * block (Twilio Auth Tokens are 32 hex chars): then the inner pad is ASCII and can prefix the message as a string.
 * Anything else, or a Node without `crypto.hash` (< 20.12), uses `createHmac`.
 */
const SHA1_BLOCK_BYTES = 64;
const SHA1_DIGEST_BYTES = 20;
const oneShotHash: typeof crypto.hash | undefined =
  typeof crypto.hash === 'function' ? crypto.hash : undefined;

type PaddedKey = { innerPad: string; outerPad: Buffer };
const paddedKeys = new Map<string, PaddedKey | null>();

function paddedKeyFor(token: string): PaddedKey | null {
  const cached = paddedKeys.get(token);
  if (cached !== undefined) {
    return cached;
  }
  let padded: PaddedKey | null = null;
  // UTF-8 length equals the UTF-16 length exactly when every character is ASCII.
  if (token.length <= SHA1_BLOCK_BYTES && Buffer.byteLength(token, 'utf8') === token.length) {
    const key = Buffer.alloc(SHA1_BLOCK_BYTES);
    key.write(token, 'latin1');
    const inner = Buffer.alloc(SHA1_BLOCK_BYTES);
    const outerPad = Buffer.alloc(SHA1_BLOCK_BYTES);
    for (let index = 0; index < SHA1_BLOCK_BYTES; index++) {
      const byte = key[index] ?? 0;
      inner[index] = byte ^ 0x36;
      outerPad[index] = byte ^ 0x5c;
    }
    padded = { innerPad: inner.toString('latin1'), outerPad };
  }
  if (paddedKeys.size >= 16) {
    paddedKeys.clear();
  }
  paddedKeys.set(token, padded);
  return padded;
}

export function hmacSha1Base64(token: string, data: string): string {
  const padded = oneShotHash ? paddedKeyFor(token) : null;
  if (!oneShotHash || !padded) {
    return crypto.createHmac('sha1', token).update(data, 'utf8').digest('base64');
  }
  // A 'binary' (latin1) string carries the 20 digest bytes unchanged and is cheaper to return than a Buffer.
  const innerDigest = oneShotHash('sha1', padded.innerPad + data, 'binary');
  const outer = Buffer.allocUnsafe(SHA1_BLOCK_BYTES + SHA1_DIGEST_BYTES);
  padded.outerPad.copy(outer, 0);
  outer.write(innerDigest, SHA1_BLOCK_BYTES, 'binary');
  return oneShotHash('sha1', outer, 'base64');
}
