/**
 * Size bounds that keep every context object inside one SQS message. SQS refuses a message (body plus attributes)
 * over 256 KiB, and refuses it the same way on every retry, so an unbounded field would turn into endless 5xx and
 * then a lost message. Small contexts also keep each 64 KB billing chunk, and a consumer's batch of 10, cheap.
 * Every bound is counted in bytes of the JSON the queue receives (escapes included), never in characters.
 */

/** SQS's classic limit on one message, body and attributes together. */
export const SQS_MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * A body (the reply text) above this many JSON bytes is cut in the context; the whole text is stored like an
 * attachment (`message.full_body`). 32 KiB is about 30 pages of plain text: far more than any reply needs.
 */
export const BODY_BOUND_BYTES = 32 * 1024;

/** Bounds of the other free-text fields, in JSON bytes; each is far above what a provider sends legitimately. */
export const FIELD_BOUND_BYTES = {
  subject: 2 * 1024,
  inReplyTo: 2 * 1024,
  profileName: 1024,
  buttonText: 1024,
  buttonPayload: 2 * 1024,
  locationText: 1024,
  repliedMessageSid: 1024,
  filename: 1024,
  contentType: 256,
  mediaUrl: 2 * 1024,
} as const;

/** Bytes one UTF-16 code unit (or surrogate pair) costs inside a JSON string, as `JSON.stringify` writes it. */
function jsonCost(text: string, index: number): { bytes: number; units: number } {
  const code = text.charCodeAt(index);
  if (code === 0x22 || code === 0x5c || code === 0x08 || code === 0x0c) return { bytes: 2, units: 1 };
  if (code === 0x0a || code === 0x0d || code === 0x09) return { bytes: 2, units: 1 };
  if (code < 0x20) return { bytes: 6, units: 1 };
  if (code < 0x80) return { bytes: 1, units: 1 };
  if (code < 0x800) return { bytes: 2, units: 1 };
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return { bytes: 4, units: 2 };
    return { bytes: 6, units: 1 };
  }
  // A lone low surrogate is escaped as \udxxx.
  if (code >= 0xdc00 && code <= 0xdfff) return { bytes: 6, units: 1 };
  return { bytes: 3, units: 1 };
}

/** Bytes `text` takes inside the JSON (without its quotes). */
export function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
}

/**
 * The longest prefix of `text` whose JSON encoding fits `maxBytes`, never splitting a surrogate pair; linear in the
 * bound, not in the text (a text of megabytes is measured once natively, then walked only up to the bound).
 */
export function cutToJsonBytes(text: string, maxBytes: number): { text: string; cut: boolean } {
  if (jsonBytes(text) <= maxBytes) return { text, cut: false };
  let bytes = 0;
  let index = 0;
  while (index < text.length) {
    const { bytes: cost, units } = jsonCost(text, index);
    if (bytes + cost > maxBytes) break;
    bytes += cost;
    index += units;
  }
  return { text: text.slice(0, index), cut: true };
}

/** `text` cut to `maxBytes` of JSON (free text a consumer only reads; its full form stays with the provider). */
export function bounded(text: string, maxBytes: number): string {
  return cutToJsonBytes(text, maxBytes).text;
}

/** Whether the reply text must be cut in the context (and stored whole beside the attachments). */
export function bodyExceedsBound(body: string): boolean {
  return jsonBytes(body) > BODY_BOUND_BYTES;
}

/**
 * The queue body of a context: its JSON with U+FFFE and U+FFFF escaped. JSON.stringify leaves those two as they are,
 * and SQS refuses any message containing them (they are not XML characters), every time; the escape reads back as
 * the same string.
 */
export function queueJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

/** Characters SQS does not accept in a message attribute (outside XML's character set), replaced with U+FFFD. */
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** A message attribute value SQS accepts, whatever the provider's id contained (deterministic, so dedupe holds). */
export function queueAttribute(value: string): string {
  return value.replace(NOT_XML_CHARACTER, '\uFFFD');
}
