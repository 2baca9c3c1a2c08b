/** A webhook exactly as a provider would put it on the wire: where to POST it, its headers and its body bytes. */
export interface SignedRequest {
  /** The URL to POST to: the webhook URL without its `#fragment` or `user:pass@`, which are never sent. */
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /** The provider's message id (MessageSid / Message-Id) carried in the body. */
  readonly messageId: string;
}

/**
 * Fragment and credentials removed (providers neither send nor sign them), Basic credentials returned apart.
 * Otherwise the URL string is kept byte for byte: the provider signs the URL exactly as configured.
 */
export function wireUrl(webhookUrl: string): { url: string; basicAuth?: string } {
  const hashAt = webhookUrl.indexOf('#');
  const withoutFragment = hashAt === -1 ? webhookUrl : webhookUrl.slice(0, hashAt);
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(withoutFragment)?.[1] ?? '';
  if (!authority.includes('@')) return { url: withoutFragment };
  const parsed = new URL(withoutFragment);
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), basicAuth: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/**
 * The webhook URL for a channel: a base URL (`http://127.0.0.1:3000`, `https://api.example.com/prod`) gets the
 * route path appended; a URL already ending in a route path is used as is. Query and fragment are kept in place.
 */
export function webhookUrlFor(base: string, channel: string): string {
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new Error(`not a URL: ${base}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`not an http(s) URL: ${base}`);
  const hashAt = base.indexOf('#');
  const beforeHash = hashAt === -1 ? base : base.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : base.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? '' : beforeHash.slice(queryAt);
  const trimmed = path.replace(/\/+$/, '');
  // A URL already naming a route (`…/whatsapp`, `…/whatsapp/`) is used as is, without the trailing slash.
  if (/\/(whatsapp|sms|email)$/.test(parsed.pathname.replace(/\/+$/, ''))) return `${trimmed}${query}${hash}`;
  return `${trimmed}/${channel}${query}${hash}`;
}
