import { BadRequestError } from './errors.js';

/** Deeper than any JSON a provider sends (SNS envelopes, SES receipts, Mailgun's lists nest 2–4 levels). */
const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting of `[`/`{` outside strings, stopping as soon as it passes `limit`: one linear scan, so a body
 * of a million `[` is refused before JSON.parse builds (and then validation walks) a million nested arrays
 * (~0.5 s measured per such body, before any signature check).
 */
function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}

/**
 * JSON.parse of input from outside, nesting bounded first; a syntax error (or nesting deeper than `MAX_JSON_DEPTH`)
 * becomes a BadRequestError with `message` instead of the parser's own, which quotes the input.
 */
export function parseUntrustedJson(text: string, message: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (exceedsDepth(text, maxDepth)) throw new BadRequestError(message);
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError(message);
  }
}
