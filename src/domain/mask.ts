/**
 * Masking for logs: never a full phone number, email address or message body (seed §7, DEVELOPERS.md).
 * Kept shapes ("+44…23", "j…@example.com") are enough to correlate incidents without identifying anyone.
 */
export function maskPhone(value: string): string {
  const prefix = value.startsWith('whatsapp:') ? 'whatsapp:' : '';
  const number = value.slice(prefix.length);
  if (number.length <= 5) return `${prefix}***`;
  return `${prefix}${number.slice(0, 3)}${'*'.repeat(number.length - 5)}${number.slice(-2)}`;
}

export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${value[0]}***@${value.slice(at + 1)}`;
}

export function maskAddress(value: string): string {
  return value.includes('@') ? maskEmail(value) : maskPhone(value);
}

// Only "+"-prefixed numbers: every phone number this service handles is E.164, and bare digit runs are ids/times.
// Linear: every match starts at a "+", which the character class cannot contain, so no position is rescanned.
const PHONE_PATTERN = /\+\d[\d\s().-]{5,}\d/g;

/** Safety net applied to every string a logger serialises, in case a caller forgot to mask. Linear in any input. */
export function scrubPii(text: string): string {
  return maskEmails(text).replace(PHONE_PATTERN, (match) =>
    match.replace(/\D/g, '').length >= 7 ? maskPhone(match) : match,
  );
}

/** Longest string a log line or inspector field keeps; longer ones are cut before masking. */
export const MAX_MASKED_CHARS = 2048;
/** An address cut at the limit could survive half-masked: scrub a little past it, then cut the scrubbed text. */
const CUT_SLACK = 320;

/** `scrubPii` on at most `max` characters, with a marker saying how much was cut. */
export function scrubTruncated(text: string, max = MAX_MASKED_CHARS): string {
  if (text.length <= max) return scrubPii(text);
  return `${scrubPii(text.slice(0, max + CUT_SLACK)).slice(0, max)}…[${text.length - max} more chars]`;
}

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDomain = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 46 || c === 45; // . -
const isLocal = (c: number) => isDomain(c) || c === 95 || c === 37 || c === 43; // _ % +

/**
 * Every `local@domain.tld` masked, scanning outwards from each "@". Same matches as
 * `/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g`, whose backtracking is quadratic on long runs without an
 * "@" (120 KB took 11 s). Here "@" ends both runs, so every character is looked at a bounded number of times.
 */
function maskEmails(text: string): string {
  const out: string[] = [];
  let copied = 0;
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > copied && isLocal(text.charCodeAt(start - 1))) start--;
    let runEnd = at + 1;
    while (runEnd < text.length && isDomain(text.charCodeAt(runEnd))) runEnd++;
    const end = start < at ? domainEnd(text, at + 1, runEnd) : -1;
    if (end === -1) {
      at = text.indexOf('@', at + 1);
      continue;
    }
    out.push(text.slice(copied, start), maskEmail(text.slice(start, end)));
    copied = end;
    at = text.indexOf('@', end);
  }
  if (copied === 0) return text;
  out.push(text.slice(copied));
  return out.join('');
}

/** End of the longest prefix of `text[from, runEnd)` that is `[A-Za-z0-9.-]+\.[A-Za-z]{2,}`, or -1. */
function domainEnd(text: string, from: number, runEnd: number): number {
  let end = runEnd;
  while (end > from) {
    let letters = end;
    while (letters > from && isLetter(text.charCodeAt(letters - 1))) letters--;
    const dot = letters - 1;
    if (end - letters >= 2 && dot > from && text.charCodeAt(dot) === 46) return end;
    // No end in (letters, end] can work (same letters run, same character before it): skip past it.
    end = letters < end ? letters : end - 1;
  }
  return -1;
}
