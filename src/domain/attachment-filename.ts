/**
 * The one rule for an attachment's filename and declared type, whatever path it came by (Mailgun inline, Mailgun
 * store(notify), SES MIME). Both are sender-chosen: a filename reaches consumers' file systems and screens, a type
 * reaches browsers. Linear scans only (attacker input).
 */
export const MAX_FILENAME_BYTES = 255;
const STORED_CONTENT_TYPE = 'application/octet-stream';

/** Bidirectional controls (a right-to-left override turns `cv\u202Efdp.exe` into "cvexe.pdf" on screen). */
function isBidiControl(code: number): boolean {
  return (
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

function isInvisible(code: number): boolean {
  return (
    isBidiControl(code) ||
    (code >= 0x200b && code <= 0x200d) ||
    code === 0xfeff ||
    (code >= 0xd800 && code <= 0xdfff) // a lone surrogate: not a character
  );
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function utf8Length(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** Cuts to `max` UTF-8 bytes without splitting a character. */
function cutBytes(text: string, max: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    bytes += utf8Length(char);
    if (bytes > max) break;
    out += char;
  }
  return out;
}

/**
 * A filename safe to show and to save: the last path segment only (no `/` or `\`), no control characters (NUL
 * included), no bidirectional or zero-width characters, trimmed, at most 255 UTF-8 bytes (the extension kept when it
 * is short); `attachment-<n>` when nothing is left.
 *
 * @example
 * safeFilename('../../cv\u202Efdp.exe', 0); // 'cvfdp.exe'
 */
export function safeFilename(name: string | null | undefined, index: number): string {
  const raw = name ?? '';
  const slash = Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\'));
  let cleaned = '';
  for (const char of raw.slice(slash + 1)) {
    const code = char.codePointAt(0) ?? 0;
    if (isInvisible(code)) continue;
    cleaned += isControl(code) ? '_' : char;
  }
  cleaned = cleaned.trim();
  if (Buffer.byteLength(cleaned, 'utf8') > MAX_FILENAME_BYTES) {
    const dot = cleaned.lastIndexOf('.');
    const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
    const stem = extension === '' ? cleaned : cleaned.slice(0, dot);
    cleaned = cutBytes(stem, MAX_FILENAME_BYTES - Buffer.byteLength(extension, 'utf8')) + extension;
  }
  return /^\.*$/.test(cleaned) ? `attachment-${index + 1}` : cleaned;
}

const TOKEN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * The declared media type (`type/subtype`, parameters dropped, lower-cased), kept in the context and the object's
 * metadata; `application/octet-stream` for anything else. Objects themselves are always stored as
 * `application/octet-stream` (`STORED_CONTENT_TYPE`), so no declared `text/html` or `image/svg+xml` is ever served
 * as such.
 */
export function declaredContentType(value: string | null | undefined): string {
  const head = (value ?? '').slice(0, 300);
  const semicolon = head.indexOf(';');
  const type = (semicolon === -1 ? head : head.slice(0, semicolon)).trim().toLowerCase();
  const slash = type.indexOf('/');
  if (slash === -1) return STORED_CONTENT_TYPE;
  return TOKEN.test(type.slice(0, slash)) && TOKEN.test(type.slice(slash + 1)) ? type : STORED_CONTENT_TYPE;
}
