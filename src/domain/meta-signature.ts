import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time-equal.js';

/** Meta's webhook payloads are at most 3 MB; anything larger is refused before a byte is hashed. */
export const META_MAX_BODY_BYTES = 3 * 1024 * 1024;

const PREFIX = 'sha256=';
/** `sha256=` + 64 hex digits; a longer header is refused unread (it cannot be a valid signature). */
const HEADER_LENGTH = PREFIX.length + 64;

/**
 * `X-Hub-Signature-256` as Meta computes it: `sha256=` + lowercase hex HMAC-SHA256 of the request body's bytes,
 * keyed with the app secret (never the verify token). Over the bytes as received: Meta escapes non-ASCII as
 * `\uXXXX` and re-serialising the parsed JSON would not reproduce them.
 */
export function computeMetaSignature(rawBody: Uint8Array, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

export interface MetaSignatureInput {
  /** The body exactly as received (base64-decoded first when the gateway says it was encoded). */
  readonly rawBody: Uint8Array;
  /** The `X-Hub-Signature-256` header value, absent when the request had none. */
  readonly header: string | undefined;
  /** Several secrets while one is rotated; empty strings are ignored (anyone can sign with an empty key). */
  readonly appSecrets: readonly string[];
}

/**
 * True when the header is a well-formed `sha256=<hex>` matching the body under one of the secrets, compared in
 * constant time. Checked before the body is parsed, so nothing about an unsigned payload is ever interpreted.
 *
 * @example
 * verifyMetaSignature({ rawBody, header: headers['x-hub-signature-256'], appSecrets: [appSecret] });
 */
export function verifyMetaSignature(input: MetaSignatureInput): boolean {
  const { header, rawBody } = input;
  if (typeof header !== 'string' || header.length !== HEADER_LENGTH) return false;
  if (rawBody.byteLength > META_MAX_BODY_BYTES) return false;
  // The algorithm name is case-insensitive in practice; the hex is compared lower-cased (fixed length, so safe).
  const received = header.toLowerCase();
  if (!received.startsWith(PREFIX)) return false;
  let matched = false;
  for (const secret of input.appSecrets) {
    if (typeof secret !== 'string' || secret.length === 0) continue;
    // Every secret is tried, so the time taken does not say which one matched.
    if (constantTimeEqual(computeMetaSignature(rawBody, secret), received)) matched = true;
  }
  return matched;
}
