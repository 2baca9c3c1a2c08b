import { BadRequestError } from './errors.js';

/**
 * Whether a URL from a Mailgun store(notify) notification may be fetched with the account's API key. The
 * notification's signature covers only `timestamp + token`, so every URL in it is attacker-chosen until proven
 * otherwise: the API key goes only to the Mailgun API host of MAILGUN_API_BASE_URL or a subdomain of it
 * (Mailgun's storage hosts are `storage-<region>.api.mailgun.net` under `api.mailgun.net`), over https. Plain http
 * is allowed only when the configured host is itself loopback (the local stack), never for a host named in the URL
 * alone. No credentials, other ports or user-info in the URL; IP literals only when equal to the configured host.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

export function isAllowedMailgunUrl(candidate: string, mailgunApiBaseUrl: string): boolean {
  if (candidate.length > 2048) return false;
  const base = parse(mailgunApiBaseUrl);
  const url = parse(candidate);
  if (!base || !url) return false;
  if (url.username !== '' || url.password !== '') return false;
  const baseHost = base.hostname.toLowerCase();
  const host = url.hostname.toLowerCase();
  if (isLoopbackHost(baseHost)) {
    // Local stack: exactly the configured origin (scheme, host and port), nothing else on the machine.
    return url.origin === base.origin;
  }
  if (url.protocol !== 'https:' || base.protocol !== 'https:') return false;
  if (url.port !== '' && url.port !== '443') return false;
  return host === baseHost || host.endsWith(`.${baseHost}`);
}

/** Refused before any request is made: the notification named a URL the API key must not go to. */
export class DisallowedStorageUrlError extends BadRequestError {
  constructor() {
    super('Attachment URL is not on the Mailgun API host');
  }
}
