import type { IncomingMessage } from 'node:http';

/** Names the local stack answers to; anything else in `Host` is a DNS-rebinding page or a URL-forging client. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** `host[:port]`: a DNS name or IPv4 address, or a bracketed IPv6 address; nothing that could carry a path. */
const HOST_SYNTAX = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)(?::(\d{1,5}))?$/;

export interface HostPolicy {
  /** The host the gateway was bound to (e.g. 0.0.0.0 is not a name; 127.0.0.1 is). */
  readonly boundHost?: string;
  /** `WEBHOOK_BASE_URL`, when the stack is reached through a tunnel or a proxy with a public name. */
  readonly webhookBaseUrl?: string;
}

/**
 * The `Host` header when it is one the local stack may be addressed by: a syntactically valid `host[:port]`, naming
 * a loopback name (or the bound host) on the port the request arrived on, or exactly the configured base URL's
 * host. Undefined otherwise. Only this value may become `requestContext.domainName`, which signatures are checked
 * against.
 */
export function trustedHost(req: IncomingMessage, policy: HostPolicy): string | undefined {
  const raw = req.headers.host;
  if (!raw) return undefined;
  const host = raw.trim().toLowerCase();
  const match = HOST_SYNTAX.exec(host);
  if (!match) return undefined;
  if (policy.webhookBaseUrl && host === new URL(policy.webhookBaseUrl).host.toLowerCase()) return host;
  const [, name = '', port] = match;
  const local = LOOPBACK_NAMES.has(name) || name === policy.boundHost?.toLowerCase();
  if (!local) return undefined;
  if (port !== undefined && Number(port) !== req.socket.localPort) return undefined;
  return host;
}

/**
 * Local-only routes (`/_local/…`: inspector, its API, the outbox) answer only same-origin callers on a trusted
 * `Host`. A web page on another origin can still send simple requests, and with DNS rebinding even read answers
 * if `Host` were not checked; `Origin` and `Sec-Fetch-Site` are set by the browser, which the page cannot forge.
 * Returns why the request is refused, or undefined.
 */
export function localRouteRefusal(req: IncomingMessage, policy: HostPolicy): string | undefined {
  const host = trustedHost(req, policy);
  if (!host) return 'local routes answer only on the stack’s own host name';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`)
    return 'cross-origin requests to local routes are refused';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return 'cross-site requests to local routes are refused';
  return undefined;
}

/** A peer on this machine: 127.0.0.0/8, ::1, or IPv4 loopback mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** `Host` names a loopback name (any port): not the bound host's other names, not `WEBHOOK_BASE_URL`'s host. */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  const match = HOST_SYNTAX.exec((host ?? '').trim().toLowerCase());
  return match !== null && LOOPBACK_NAMES.has(match[1] ?? '');
}
