import { parse as parseLegacyQuery, stringify as stringifyLegacyQuery } from 'node:querystring';
import { constantTimeEqual } from './constant-time-equal.js';
import { hmacSha1Base64 } from './hmac-sha1.js';

/** Every form pair as received, in order; a key may repeat. */
export type FormParams = ReadonlyArray<readonly [string, string]>;

/**
 * Twilio's `X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the Auth Token, over the URL followed by every
 * parameter as `name + value`, names sorted by UTF-16 code unit (what twilio-node's `Object.keys().sort()` does).
 * A repeated name is emitted once per distinct value, values sorted the same way (twilio-node: `new Set` + sort).
 */
export function computeTwilioSignature(url: string, params: FormParams, authToken: string): string {
  return hmacSha1Base64(authToken, url + sortedParamString(params));
}

/**
 * The URLs a Twilio signature may have been computed over, best guess first: the URL as given (minus any
 * `#fragment` and `user:pass@`, which Twilio never signs), then twilio-node's fallbacks: port removed, default
 * port (`:443`/`:80`) added, the same two on the WHATWG-normalised URL, and those with the query re-serialised by
 * the legacy `querystring` module. De-duplicated; never throws (an unparsable URL yields just itself).
 */
export function twilioUrlCandidates(url: string): string[] {
  const signed = urlAsSigned(url);
  const candidates = new Set<string>([signed]);
  try {
    candidates.add(removePort(signed)).add(addPort(signed));
    const normalized = new URL(signed).toString();
    const withoutPort = removePort(normalized);
    const withPort = addPort(normalized);
    candidates.add(withoutPort).add(withPort);
    candidates.add(withLegacyQuery(withoutPort)).add(withLegacyQuery(withPort));
  } catch {
    // `new URL` rejects it, or the query cannot be re-encoded: keep the variants found so far.
  }
  return [...candidates];
}

export type TwilioSignatureInput = {
  url: string;
  params: FormParams;
  signature: string;
  /** Several tokens during a rotation; empty strings are ignored (anyone can sign with an empty key). */
  authTokens: readonly string[];
};

/**
 * True when `signature` matches any candidate URL (see {@link twilioUrlCandidates}) under any token.
 * The parameter string is built once; the URL variants are only built if the URL as given does not match.
 *
 * @example
 * verifyTwilioSignature({ url: 'https://hooks.example.com/twilio', params, signature, authTokens: [token] });
 */
export function verifyTwilioSignature(input: TwilioSignatureInput): boolean {
  const { signature } = input;
  if (typeof signature !== 'string' || signature.length === 0) {
    return false;
  }
  const tokens = input.authTokens.filter((token) => typeof token === 'string' && token.length > 0);
  if (tokens.length === 0) {
    return false;
  }
  const paramString = sortedParamString(input.params);
  if (matchesAnyToken(urlAsSigned(input.url) + paramString, signature, tokens)) {
    return true;
  }
  // The first candidate is the URL as given, already tried above.
  for (const candidate of twilioUrlCandidates(input.url).slice(1)) {
    if (matchesAnyToken(candidate + paramString, signature, tokens)) {
      return true;
    }
  }
  return false;
}

function matchesAnyToken(data: string, signature: string, tokens: readonly string[]): boolean {
  for (const token of tokens) {
    if (constantTimeEqual(hmacSha1Base64(token, data), signature)) {
      return true;
    }
  }
  return false;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Pair = readonly [string, string];

function compareNames(a: Pair, b: Pair): number {
  return compareCodeUnits(a[0], b[0]);
}

/**
 * Stable sort by name. A webhook has a few dozen pairs, where an insertion sort is about three times faster than
 * `Array.prototype.sort` with a comparator; past that, the quadratic worst case is not worth the risk.
 */
function sortByName(params: FormParams): Pair[] {
  const sorted = params.slice();
  if (sorted.length > 64) {
    return sorted.sort(compareNames);
  }
  for (let index = 1; index < sorted.length; index++) {
    const pair = sorted[index] as Pair;
    let slot = index;
    while (slot > 0 && (sorted[slot - 1] as Pair)[0] > pair[0]) {
      sorted[slot] = sorted[slot - 1] as Pair;
      slot--;
    }
    sorted[slot] = pair;
  }
  return sorted;
}

// A stable sort by name leaves repeated names adjacent, so each run is one name's values.
function sortedParamString(params: FormParams): string {
  const sorted = sortByName(params);
  let out = '';
  let runStart = 0;
  while (runStart < sorted.length) {
    const [name, firstValue] = sorted[runStart] as Pair;
    let runEnd = runStart + 1;
    while (runEnd < sorted.length && sorted[runEnd]?.[0] === name) {
      runEnd++;
    }
    if (runEnd === runStart + 1) {
      out += name + firstValue;
    } else {
      const distinct = new Set<string>();
      for (let index = runStart; index < runEnd; index++) {
        distinct.add((sorted[index] as Pair)[1]);
      }
      for (const value of [...distinct].sort(compareCodeUnits)) {
        out += name + value;
      }
    }
    runStart = runEnd;
  }
  return out;
}

// Same split as twilio-node's `splitUrl`: no normalisation, so the path and query keep the bytes Twilio signed.
const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i;

type UrlParts = { scheme: string; userInfo: string; host: string; port: string; rest: string };

function splitUrl(url: string): UrlParts | undefined {
  const match = AUTHORITY.exec(url);
  if (!match) {
    return undefined;
  }
  const [prefix, scheme = '', authority = ''] = match;
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  // A colon only starts the port after the closing bracket of an IPv6 literal.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

/** Drops the fragment (never sent) and `user:pass@` (Twilio removes it before signing); cheap when absent. */
function urlAsSigned(url: string): string {
  const hashIndex = url.indexOf('#');
  const withoutFragment = hashIndex === -1 ? url : url.slice(0, hashIndex);
  if (!withoutFragment.includes('@')) {
    return withoutFragment;
  }
  const parts = splitUrl(withoutFragment);
  return parts ? parts.scheme + parts.host + parts.port + parts.rest : withoutFragment;
}

function removePort(url: string): string {
  const parts = splitUrl(url);
  return parts ? parts.scheme + parts.userInfo + parts.host + parts.rest : url;
}

function addPort(url: string): string {
  const parts = splitUrl(url);
  if (!parts || parts.port) {
    return url;
  }
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

function withLegacyQuery(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1 || queryStart === url.length - 1) {
    return url;
  }
  return `${url.slice(0, queryStart)}?${stringifyLegacyQuery(parseLegacyQuery(url.slice(queryStart + 1)))}`;
}
