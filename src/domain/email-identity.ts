/**
 * The parts of an email's own headers that say who it claims to be from, parsed without regular expressions
 * (attacker input: linear scans only). The From header is the identity a person sees and the one DMARC protects;
 * `DKIM-Signature` `d=` tags name the domains that signed it.
 */

/** More signatures than any genuine mail carries: past this, none can be trusted to align. */
const MAX_DKIM_SIGNATURES = 16;
const MAX_HEADER_CHARS = 998 * 8;

/**
 * The one mailbox of a From header value (`Jane <jane@x.example>` or `jane@x.example`), lower-cased; undefined when
 * it names none or several (RFC 7489 §6.6.1: a message with several authors cannot be aligned).
 */
export function fromMailbox(value: string | undefined): string | undefined {
  if (value === undefined || value.length > MAX_HEADER_CHARS) return undefined;
  const open = value.indexOf('<');
  let address: string;
  if (open === -1) {
    address = value;
    if (address.includes(',')) return undefined;
  } else {
    if (value.indexOf('<', open + 1) !== -1) return undefined;
    const close = value.indexOf('>', open + 1);
    if (close === -1) return undefined;
    address = value.slice(open + 1, close);
  }
  const mailbox = address.trim().toLowerCase();
  const at = mailbox.lastIndexOf('@');
  if (at <= 0 || at === mailbox.length - 1 || mailbox.indexOf('@') !== at) return undefined;
  for (const char of mailbox)
    if (char <= ' ' || char === '"' || char === '(' || char === ')') return undefined;
  return mailbox;
}

/** The `d=` tag of one `DKIM-Signature` header value (RFC 6376 tag-list; folding whitespace removed). */
export function dkimSignatureDomain(value: string): string | undefined {
  if (value.length > MAX_HEADER_CHARS) return undefined;
  for (const tag of value.split(';')) {
    const equals = tag.indexOf('=');
    if (equals === -1 || tag.slice(0, equals).trim().toLowerCase() !== 'd') continue;
    let domain = '';
    for (const char of tag.slice(equals + 1)) if (char > ' ') domain += char;
    domain = domain.toLowerCase().replace(/\.$/, '');
    return domain === '' ? undefined : domain;
  }
  return undefined;
}

/**
 * The `d=` domains of every `DKIM-Signature` header, in order. A signature without a readable `d=` yields '' so that
 * "every signature aligns" fails for it; more than MAX_DKIM_SIGNATURES yields [''] (never aligned).
 */
export function dkimSignatureDomains(values: readonly string[]): string[] {
  if (values.length > MAX_DKIM_SIGNATURES) return [''];
  return values.map((value) => dkimSignatureDomain(value) ?? '');
}
