/**
 * The largest raw `multipart/form-data` body one synchronous Lambda invocation can carry through API Gateway.
 *
 * Derivation (docs/seed-deviations.md, "inline email size"):
 * - Lambda refuses a synchronous request payload over 6 MB: 6 × 1024 × 1024 = 6,291,456 bytes, counted on the
 *   event JSON API Gateway sends.
 * - `multipart/form-data` is a binary media type (BINARY_MEDIA_TYPES), so the body arrives base64-encoded: a raw body
 *   of n bytes becomes 4 × ⌈n / 3⌉ bytes of the event.
 * - The rest of the event is the envelope: API Gateway caps the request line plus headers at 10,240 bytes, the REST
 *   proxy event repeats every header (`headers` and `multiValueHeaders`) and JSON escaping can at most double a
 *   header value (`"` and `\` are the only characters HTTP allows that need it), so headers take ≤ 40,960 bytes;
 *   `requestContext`, the path (twice) and the keys take under 8 KiB. Envelope allowance: 48 KiB = 49,152 bytes.
 * - So 4 × ⌈n / 3⌉ ≤ 6,291,456 − 49,152 = 6,242,304 ⟺ n ≤ ⌊6,242,304 / 4⌋ × 3 = 4,681,728 bytes (≈ 4.46 MiB).
 *
 * A body above this is answered 406 (Mailgun's "rejected, do not retry") where it can be seen — the local gateway,
 * and the handler for the sliver between this limit and what actually fits. Larger posts never reach the function
 * on AWS (API Gateway answers 5xx itself), which is why store(notify) is the recommended Mailgun route action.
 */
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Request line + headers as API Gateway REST admits them, twice in the event, JSON escaping ×2, plus the rest. */
export const EVENT_ENVELOPE_ALLOWANCE_BYTES = 48 * 1024;

export interface InlineLimitInputs {
  readonly payloadLimitBytes?: number;
  readonly envelopeBytes?: number;
}

export function maxInlineBodyBytes(inputs: InlineLimitInputs = {}): number {
  const payload = inputs.payloadLimitBytes ?? LAMBDA_SYNC_PAYLOAD_BYTES;
  const envelope = inputs.envelopeBytes ?? EVENT_ENVELOPE_ALLOWANCE_BYTES;
  const budget = payload - envelope;
  if (budget <= 0) return 0;
  // Base64 writes 4 characters for every started group of 3 bytes.
  return Math.floor(budget / 4) * 3;
}

/** 4,681,728 bytes with the defaults above. */
export const MAX_INLINE_BODY_BYTES = maxInlineBodyBytes();

/** Whether an inline (forward) post of this raw size must be answered 406 instead of processed. */
export function exceedsInlineLimit(rawBodyBytes: number): boolean {
  return rawBodyBytes > MAX_INLINE_BODY_BYTES;
}
