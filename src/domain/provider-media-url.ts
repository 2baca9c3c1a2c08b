import { BadRequestError } from './errors.js';
import { isLoopbackHost } from './mailgun-storage-url.js';

/**
 * Which URLs a provider's media may be fetched from, and with which credentials. A media URL is where a tenant's
 * access token or Auth Token goes, so every host is named: a URL or redirect anywhere else could collect them.
 *
 * Meta: `GET {graph}/<media-id>` answers a URL on `lookaside.fbsbx.com` (chatwoot #9809 shows one) valid for five
 * minutes, fetched with the same bearer token. Twilio: `MediaUrlN` is on the REST API host and answers a redirect
 * to a short-lived URL on `mms.twiliocdn.com` (HTTP Basic enforced on media) or, for unsecured media,
 * `s3-external-1.amazonaws.com/media.twiliocdn.com/…` (help.twilio.com article 223183748); those need no credentials.
 */
const META_MEDIA_HOSTS: readonly string[] = ['lookaside.fbsbx.com'];
const TWILIO_MEDIA_HOSTS: readonly string[] = ['mms.twiliocdn.com', 'media.twiliocdn.com'];
/** Twilio's unsecured media live in this S3 bucket, addressed path-style on the S3 host. */
const TWILIO_S3_HOST = 's3-external-1.amazonaws.com';
const TWILIO_S3_PATH_PREFIX = '/media.twiliocdn.com/';

const MAX_URL_LENGTH = 4096;

function parse(value: string): URL | undefined {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function plainHttps(url: URL): boolean {
  return (
    url.protocol === 'https:' &&
    (url.port === '' || url.port === '443') &&
    url.username === '' &&
    url.password === ''
  );
}

/** Same origin as the configured base, which may be http only when it is loopback (the local stand-ins). */
function onBaseOrigin(url: URL, baseUrl: string): boolean {
  const base = parse(baseUrl);
  if (!base || url.username !== '' || url.password !== '') return false;
  if (base.protocol !== 'https:' && !isLoopbackHost(base.hostname)) return false;
  return url.origin === base.origin;
}

/** The Graph API host (META_GRAPH_API_BASE_URL's origin) or one of Meta's media hosts over https. */
export function isAllowedMetaMediaUrl(candidate: string, graphApiBaseUrl: string): boolean {
  const url = parse(candidate);
  if (!url) return false;
  if (onBaseOrigin(url, graphApiBaseUrl)) return true;
  return plainHttps(url) && META_MEDIA_HOSTS.includes(url.hostname.toLowerCase());
}

/** `MediaUrlN` itself: only under the Twilio API base URL (TWILIO_API_BASE_URL), where the Auth Token may go. */
export function isAllowedTwilioMediaUrl(candidate: string, twilioApiBaseUrl: string): boolean {
  const url = parse(candidate);
  const base = parse(twilioApiBaseUrl);
  if (!url || !base || !onBaseOrigin(url, twilioApiBaseUrl)) return false;
  const basePath = base.pathname.replace(/\/+$/, '');
  return url.pathname.startsWith(`${basePath}/2010-04-01/Accounts/`) && url.pathname.includes('/Media/');
}

/** Where Twilio's media redirect may lead (fetched without credentials): its media hosts, or its own API origin. */
export function isAllowedTwilioMediaRedirect(candidate: string, twilioApiBaseUrl: string): boolean {
  const url = parse(candidate);
  if (!url) return false;
  if (onBaseOrigin(url, twilioApiBaseUrl)) return true;
  if (!plainHttps(url)) return false;
  const host = url.hostname.toLowerCase();
  if (TWILIO_MEDIA_HOSTS.includes(host)) return true;
  return host === TWILIO_S3_HOST && url.pathname.startsWith(TWILIO_S3_PATH_PREFIX);
}

/** A media URL or redirect outside the allowed hosts: refused before any credential is sent. */
export class DisallowedMediaUrlError extends BadRequestError {
  constructor() {
    super('Media URL is not on an allowed provider host');
  }
}

/** The downloaded bytes do not hash to the SHA-256 the provider announced: not stored. */
export class MediaDigestMismatchError extends BadRequestError {
  constructor() {
    super('Media SHA-256 does not match the provider’s');
  }
}

/**
 * Meta announces SHA-256 digests as base64 (webhooks) or hex (the media endpoint); true when `announced`, in
 * either form, names the same 32 bytes as `digest`.
 */
export function sameSha256(announced: string, digest: Uint8Array): boolean {
  const hex = /^[0-9a-fA-F]{64}$/.test(announced) ? Buffer.from(announced, 'hex') : undefined;
  const bytes =
    hex ?? (/^[A-Za-z0-9+/]{43}=?$/.test(announced) ? Buffer.from(announced, 'base64') : undefined);
  return bytes !== undefined && bytes.length === 32 && Buffer.compare(bytes, Buffer.from(digest)) === 0;
}
