import { BadRequestError } from './errors.js';
import type { FormParams } from './twilio-signature.js';

/**
 * Strict `application/x-www-form-urlencoded` parser. Unlike URLSearchParams it rejects malformed percent-encoding
 * and invalid UTF-8 instead of silently keeping them, so a mangled body becomes a clear 400 rather than a
 * confusing signature failure. Every pair is kept in order, repeated keys included, because Twilio signs them all.
 */
export function parseFormBody(raw: string): FormParams {
  const pairs: [string, string][] = [];
  if (raw.length === 0) return pairs;
  for (const segment of raw.split('&')) {
    if (segment.length === 0) continue;
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
