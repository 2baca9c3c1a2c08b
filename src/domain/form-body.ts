import { BadRequestError } from './errors.js';
import type { FormParams } from './twilio-signature.js';

/**
 * Bounds checked while parsing, before any verification: the same as busboy's for multipart bodies. Twilio posts
 * about 40 parameters (60 with ten media items); Mailgun a few dozen fields plus one per header it lifts out.
 */
export const FORM_LIMITS = { pairs: 200, segmentChars: 2 * 1024 * 1024 } as const;

/**
 * Strict `application/x-www-form-urlencoded` parser. Unlike URLSearchParams it rejects malformed percent-encoding
 * and invalid UTF-8 instead of silently keeping them, so a mangled body becomes a clear 400 rather than a
 * confusing signature failure. Every pair is kept in order, repeated keys included, because Twilio signs them all.
 * It stops at the first pair over `limits.pairs`: 400,000 tiny pairs must cost no more than 201.
 */
export function parseFormBody(raw: string, limits: typeof FORM_LIMITS = FORM_LIMITS): FormParams {
  const pairs: [string, string][] = [];
  let start = 0;
  while (start < raw.length) {
    const amp = raw.indexOf('&', start);
    const end = amp === -1 ? raw.length : amp;
    const segment = raw.slice(start, end);
    start = end + 1;
    if (segment.length === 0) continue;
    if (pairs.length >= limits.pairs) throw new BadRequestError('Too many fields in form body');
    if (segment.length > limits.segmentChars) throw new BadRequestError('Form field too large');
    const eq = segment.indexOf('=');
    const rawKey = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1);
    const key = decodeComponent(rawKey);
    if (key.length === 0) throw new BadRequestError('Malformed form body: empty parameter name');
    pairs.push([key, decodeComponent(rawValue)]);
  }
  return pairs;
}

function decodeComponent(value: string): string {
  const spaced = value.includes('+') ? value.replaceAll('+', ' ') : value;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw new BadRequestError('Malformed form body: invalid percent-encoding');
  }
}

/** Single-valued view of the params; a repeated core field is ambiguous, so it is rejected by name. */
export function singleValued(params: FormParams, fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  const strict = new Set(fields);
  for (const [key, value] of params) {
    if (key in record && strict.has(key)) throw new BadRequestError(`Duplicated field: ${key}`);
    if (!(key in record)) record[key] = value;
  }
  return record;
}
