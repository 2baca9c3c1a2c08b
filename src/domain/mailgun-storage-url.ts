import { BadRequestError } from './errors.js';

/**
 * Whether a URL from a Mailgun store(notify) notification may be fetched with the account's API key. The
 * notification's signature covers only `timestamp + token`, so every URL in it is attacker-chosen until proven
 * otherwise. The key goes only
 * - to the host of a configured Mailgun API base URL (`MAILGUN_API_BASE_URL`; a list, so per-tenant regions can name
 *   `https://api.mailgun.net` and `https://api.eu.mailgun.net`) or a subdomain of it — Mailgun's storage hosts are
 *   `storage-<region>.api.mailgun.net` / `storage-<region>.api.eu.mailgun.net` —, over https on the default port,
 *   with no user-info; plain http only when the configured host is itself loopback (the local stack: exactly its
 *   origin);
 * - and only for a path of Mailgun's storage API (under the base's own path): a stored message
 *   `/v3/domains/{domain}/messages/{key}` or one of its attachments `…/messages/{key}/attachments/{n}`, with no
 *   query or fragment. Any other path on the host (the account's other APIs) is refused unfetched.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_URL_CHARS = 2048;
const STORAGE_PATH =
  /^\/v3\/domains\/[A-Za-z0-9.-]{1,253}\/messages\/[A-Za-z0-9_=-]{1,512}(\/attachments\/\d{1,4})?$/;

export type MailgunStorageUrlKind = 'message' | 'attachment';

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

function hostAllowed(url: URL, base: URL): boolean {
  if (url.username !== '' || url.password !== '') return false;
  const baseHost = base.hostname.toLowerCase();
  const host = url.hostname.toLowerCase();
  // Local stack: exactly the configured origin (scheme, host and port), nothing else on the machine.
  if (isLoopbackHost(baseHost)) return url.origin === base.origin;
  if (url.protocol !== 'https:' || base.protocol !== 'https:') return false;
  if (url.port !== '' && url.port !== '443') return false;
  return host === baseHost || host.endsWith(`.${baseHost}`);
}

/** The storage path below the base's own path (the local stand-in lives under `/_local/mailgun`). */
function storageKind(url: URL, base: URL): MailgunStorageUrlKind | undefined {
  if (url.search !== '' || url.hash !== '') return undefined;
  const prefix = isLoopbackHost(base.hostname) ? base.pathname.replace(/\/+$/, '') : '';
  if (!url.pathname.startsWith(`${prefix}/`)) return undefined;
  const match = STORAGE_PATH.exec(url.pathname.slice(prefix.length));
  if (!match) return undefined;
  return match[1] === undefined ? 'message' : 'attachment';
}

/** What a store(notify) URL names on Mailgun's storage API, or undefined when the API key must not go there. */
export function mailgunStorageUrlKind(
  candidate: string,
  bases: string | readonly string[],
): MailgunStorageUrlKind | undefined {
  if (candidate.length > MAX_URL_CHARS) return undefined;
  const url = parse(candidate);
  if (!url) return undefined;
  for (const value of typeof bases === 'string' ? [bases] : bases) {
    const base = parse(value);
    if (base && hostAllowed(url, base)) return storageKind(url, base);
  }
  return undefined;
}

export function isAllowedMailgunUrl(candidate: string, bases: string | readonly string[]): boolean {
  return mailgunStorageUrlKind(candidate, bases) !== undefined;
}

/**
 * Whether `attachmentUrl` is one of the attachments of the stored message `messageUrl` (`<message-url>/attachments/<n>`):
 * a notification may make us fetch its own message's attachments, nothing else stored on the account.
 */
export function isAttachmentOf(attachmentUrl: string, messageUrl: string): boolean {
  const attachment = parse(attachmentUrl);
  const message = parse(messageUrl);
  if (!attachment || !message || attachment.origin !== message.origin) return false;
  if (message.search !== '' || message.hash !== '' || attachment.search !== '' || attachment.hash !== '')
    return false;
  const rest = attachment.pathname.slice(message.pathname.length);
  return attachment.pathname.startsWith(message.pathname) && /^\/attachments\/\d{1,4}$/.test(rest);
}

/** Refused before any request is made: the notification named a URL the API key must not go to. */
export class DisallowedStorageUrlError extends BadRequestError {
  constructor() {
    super('Attachment URL is not a Mailgun storage URL of this message');
  }
}
