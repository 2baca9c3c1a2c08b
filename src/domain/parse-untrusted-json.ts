import { BadRequestError } from './errors.js';
import { jsonNestingWithin } from './json-nesting.js';

/**
 * Deeper than any JSON a provider sends (SNS envelopes, SES receipts, Mailgun's lists nest 2–4 levels). Checked before
 * JSON.parse so a body of a million `[` is refused before the parser builds (and validation walks) a million nested
 * arrays (~0.5 s measured per such body, before any signature check).
 */
const MAX_JSON_DEPTH = 32;

/**
 * JSON.parse of input from outside, nesting bounded first; a syntax error (or nesting deeper than `MAX_JSON_DEPTH`)
 * becomes a BadRequestError with `message` instead of the parser's own, which quotes the input.
 */
export function parseUntrustedJson(text: string, message: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (!jsonNestingWithin(text, maxDepth)) throw new BadRequestError(message);
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError(message);
  }
}
