import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constantTimeEqual } from '../domain/constant-time-equal.js';
import { basicAuth } from './outbox.js';

export interface TwilioMediaFile {
  readonly data: Buffer;
  readonly contentType: string;
}

/** Test hook: the media URL redirects here instead of to the stand-in's own "CDN" path. */
export interface TwilioMediaQuirks {
  readonly redirect?: string;
}

interface StoredMedia extends TwilioMediaFile {
  readonly accountSid: string;
  readonly quirks: TwilioMediaQuirks;
}

const MEDIA_PATH =
  /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\/(MM[0-9a-f]{32})\/Media\/(ME[0-9a-f]{32})$/;
const CDN_PATH = /^\/media-cdn\/([0-9a-f]{32})$/;
const MAX_MEDIA = 200;
/** Twilio's redirected media URLs are short-lived (4 h); locally a minute is plenty. */
const CDN_LIFETIME_MS = 60_000;

/**
 * A local stand-in for Twilio's message media, served under the outbox's Twilio base URL: `MediaUrlN`
 * (`/2010-04-01/Accounts/AC…/Messages/MM…/Media/ME…`) needs HTTP Basic with the account's SID and Auth Token (as
 * with "Enforce HTTP Auth on Media URLs") and answers a redirect to a short-lived URL that needs none, like
 * Twilio's redirect to mms.twiliocdn.com. Every request is recorded with whether it carried credentials.
 */
export class TwilioMediaStandIn {
  readonly requests: { readonly path: string; readonly authorization: boolean }[] = [];
  private readonly media = new Map<string, StoredMedia>();
  private readonly cdn = new Map<string, { key: string; expiresAt: number }>();

  constructor(
    /** The public base of the Twilio stand-in (`http://127.0.0.1:3000/_local/twilio`), known once it listens. */
    private readonly baseUrl: () => string,
    /** Whether an (AccountSid, Auth Token) pair is an account's (locally: a secret of the secrets file). */
    private readonly isAccount: (accountSid: string, authToken: string) => boolean,
  ) {}

  /** Keeps a file as if a user had sent it to `accountSid`; returns its `MediaUrlN`. */
  put(accountSid: string, file: TwilioMediaFile, quirks: TwilioMediaQuirks = {}): string {
    const path = `/2010-04-01/Accounts/${accountSid}/Messages/MM${randomBytes(16).toString('hex')}/Media/ME${randomBytes(16).toString('hex')}`;
    this.media.set(path, { ...file, accountSid, quirks });
    for (const oldest of this.media.keys()) {
      if (this.media.size <= MAX_MEDIA) break;
      this.media.delete(oldest);
    }
    return `${this.baseUrl()}${path}`;
  }

  clear(): void {
    this.media.clear();
    this.cdn.clear();
    this.requests.length = 0;
  }

  /** Handles `path` (relative to the Twilio base URL); false when it is not a media path. */
  handle(path: string, req: IncomingMessage, res: ServerResponse): boolean {
    const media = MEDIA_PATH.exec(path);
    const cdn = CDN_PATH.exec(path);
    if (!media && !cdn) return false;
    this.requests.push({ path, authorization: req.headers.authorization !== undefined });
    if (this.requests.length > 1000) this.requests.splice(0, 500);
    if (req.method !== 'GET') {
      res.writeHead(405, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'Method not allowed' }));
      return true;
    }
    if (cdn) return this.serveCdn(cdn[1] ?? '', res);
    const stored = this.media.get(path);
    const auth = basicAuth(req.headers.authorization);
    if (!auth || !stored || auth[0] !== stored.accountSid || !this.isAccount(auth[0], auth[1])) {
      res.writeHead(auth ? 404 : 401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ code: auth ? 20404 : 20003, message: auth ? 'Not found' : 'Authenticate' }));
      return true;
    }
    const ticket = randomBytes(16).toString('hex');
    this.cdn.set(ticket, { key: path, expiresAt: Date.now() + CDN_LIFETIME_MS });
    res.writeHead(307, { Location: stored.quirks.redirect ?? `${this.baseUrl()}/media-cdn/${ticket}` });
    res.end();
    return true;
  }

  private serveCdn(ticket: string, res: ServerResponse): true {
    const entry = this.cdn.get(ticket);
    const stored = entry && entry.expiresAt > Date.now() ? this.media.get(entry.key) : undefined;
    if (!stored) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Expired');
      return true;
    }
    res.writeHead(200, { 'Content-Type': stored.contentType, 'Content-Length': String(stored.data.length) });
    res.end(stored.data);
    return true;
  }
}

/** Any (account_sid, auth_token) pair of the local secrets file (re-read each time: editing it rotates). */
export function accountsOf(secretsFile: string): (accountSid: string, authToken: string) => boolean {
  return (accountSid, authToken) => {
    const all = JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<
      string,
      { account_sid?: unknown; auth_token?: unknown }
    >;
    return Object.values(all).some(
      (secret) =>
        secret?.account_sid === accountSid &&
        typeof secret.auth_token === 'string' &&
        constantTimeEqual(secret.auth_token, authToken),
    );
  };
}
