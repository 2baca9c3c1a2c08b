import { getDomain } from 'tldts';

/**
 * RFC 7489's organisational domain (relaxed alignment): the registrable domain under the Public Suffix List,
 * private section included — `a.github.io` and `b.github.io` belong to different owners, so they must not align.
 * tldts (full list, 7.5.4) rather than tldts-icann: +47 KiB of bundle for the private section; measured in
 * docs/performance.md. Undefined for anything that is not a hostname with a registrable domain.
 */
export function organisationalDomain(domain: string | undefined): string | undefined {
  if (domain === undefined || domain === '' || domain.length > 253) return undefined;
  return (
    getDomain(domain, { allowPrivateDomains: true, extractHostname: false, validateHostname: true }) ??
    undefined
  );
}

/** Whether two domains have the same organisational domain (DMARC relaxed alignment). */
export function alignedDomains(a: string | undefined, b: string | undefined): boolean {
  const left = organisationalDomain(a);
  return left !== undefined && left === organisationalDomain(b);
}

/** The domain of `local@domain`, lower-cased, without a trailing dot; undefined for an empty (null) address. */
export function domainOfAddress(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return undefined;
  const domain = trimmed
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  return domain === '' ? undefined : domain;
}
