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
const PHONE_PATTERN = /\+\d[\d\s().-]{5,}\d/g;
const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Safety net applied to every string a logger serialises, in case a caller forgot to mask. */
export function scrubPii(text: string): string {
  return text
    .replace(EMAIL_PATTERN, (match) => maskEmail(match))
    .replace(PHONE_PATTERN, (match) => (match.replace(/\D/g, '').length >= 7 ? maskPhone(match) : match));
}
