import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { uploadFromForm } from './graph-media-upload.js';
import type { OutboxEntry } from './outbox.js';

export interface GraphMediaFile {
  readonly data: Buffer;
  readonly mimeType: string;
  readonly filename?: string;
}

/** Test hooks: how the stand-in misbehaves for one media item (attacks and failures Meta's real API could show). */
export interface GraphMediaQuirks {
  /** `GET /<media-id>` answers this `url` instead of the stand-in's own download URL. */
  readonly url?: string;
  /** `GET /<media-id>` announces this SHA-256 instead of the file's. */
  readonly sha256?: string;
  /** The download answers `302 Location: <redirect>` instead of the bytes. */
  readonly redirect?: string;
}

interface StoredMedia extends GraphMediaFile {
  readonly quirks: GraphMediaQuirks;
}

/** What `putMedia` hands back: what a webhook carries about the media (`sha256` base64, as in webhooks). */
export interface GraphMediaRef {
  readonly id: string;
  readonly mimeType: string;
  readonly sha256: string;
  readonly filename?: string;
}

const GRAPH_STAND_IN_VERSION = 'v26.0';
const MAX_MEDIA = 200;
/** Meta's media URLs work for five minutes. */
const URL_LIFETIME_MS = 5 * 60 * 1000;

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
  return true;
}

function graphError(res: ServerResponse, status: number, code: number, message: string): true {
  return json(res, status, {
    error: { message, type: 'OAuthException', code, fbtrace_id: randomBytes(8).toString('hex') },
  });
}

/**
 * A local stand-in for the parts of Meta's Graph API the gateway uses: `GET /<version>/<media-id>` (media URL,
 * mime type, hex SHA-256, size), the download of that URL (`/whatsapp_business/attachments/?mid=…`, like
 * lookaside.fbsbx.com, valid five minutes), `POST /<version>/<phone_number_id>/messages` (recorded like the
 * Twilio and Mailgun stand-ins' sends, so `outbox list` and the inspector show them) and `POST …/media` (upload,
 * for `send whatsapp --provider meta --attach`). Every call needs a bearer token that is an `access_token` of
 * the secrets file. Every request is recorded, so tests can prove what was (not) fetched.
 */
export class GraphApiStandIn {
  readonly sent: OutboxEntry[] = [];
  readonly requests: { readonly method: string; readonly path: string; readonly authorized: boolean }[] = [];
  private readonly media = new Map<string, StoredMedia>();
  private readonly downloads = new Map<string, { mediaId: string; expiresAt: number }>();
  private origin = '';

  constructor(private readonly isAccessToken: (token: string) => boolean) {}

  /** Where it listens (`http://127.0.0.1:<port>`), set once the server is bound. */
  setOrigin(origin: string): void {
    this.origin = origin;
  }

  get baseUrl(): string {
    return `${this.origin}/${GRAPH_STAND_IN_VERSION}`;
  }

  /** Keeps a media file as if a user had sent it; returns what the webhook says about it. */
  putMedia(file: GraphMediaFile, quirks: GraphMediaQuirks = {}): GraphMediaRef {
    const id = String(BigInt(`0x${randomBytes(7).toString('hex')}`) + 1_000_000_000_000_000n);
    this.media.set(id, { ...file, quirks });
    for (const oldest of this.media.keys()) {
      if (this.media.size <= MAX_MEDIA) break;
      this.media.delete(oldest);
    }
    const sha256 = createHash('sha256').update(file.data).digest('base64');
    return { id, mimeType: file.mimeType, sha256, ...(file.filename ? { filename: file.filename } : {}) };
  }

  clear(): void {
    this.sent.length = 0;
    this.requests.length = 0;
    this.media.clear();
    this.downloads.clear();
  }

  private bearer(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return undefined;
    const token = header.slice('Bearer '.length);
    return token !== '' && this.isAccessToken(token) ? token : undefined;
  }

  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://graph.local');
    const token = this.bearer(req);
    this.requests.push({ method: req.method ?? '', path: url.pathname, authorized: token !== undefined });
    if (this.requests.length > 1000) this.requests.splice(0, 500);
    if (!token) {
      graphError(res, 401, 190, 'Invalid OAuth access token.');
      return;
    }
    const version = `/${GRAPH_STAND_IN_VERSION}/`;
    const parts = url.pathname.startsWith(version) ? url.pathname.slice(version.length).split('/') : [];
    const [first = '', second] = parts;
    if (url.pathname === '/whatsapp_business/attachments/' && req.method === 'GET') this.download(url, res);
    else if (parts.length === 1 && req.method === 'GET') this.mediaInfo(first, res);
    else if (parts.length === 2 && second === 'messages' && req.method === 'POST')
      this.message(first, token, body, res);
    else if (parts.length === 2 && second === 'media' && req.method === 'POST')
      uploadFromForm(req, body).then(
        (file) =>
          file ? json(res, 200, { id: this.putMedia(file).id }) : graphError(res, 400, 100, 'No file'),
        () => graphError(res, 400, 100, 'Malformed multipart body'),
      );
    else graphError(res, parts.length === 0 ? 404 : 400, 100, 'Unsupported request');
  }

  private mediaInfo(id: string, res: ServerResponse): true {
    const media = this.media.get(id);
    if (!media) return graphError(res, 404, 100, 'Unsupported get request: media not found');
    const ticket = randomBytes(16).toString('hex');
    this.downloads.set(ticket, { mediaId: id, expiresAt: Date.now() + URL_LIFETIME_MS });
    return json(res, 200, {
      messaging_product: 'whatsapp',
      url: media.quirks.url ?? `${this.origin}/whatsapp_business/attachments/?mid=${id}&ext=${ticket}`,
      mime_type: media.mimeType,
      sha256: media.quirks.sha256 ?? createHash('sha256').update(media.data).digest('hex'),
      file_size: media.data.length,
      id,
    });
  }

  private download(url: URL, res: ServerResponse): true {
    const ticket = this.downloads.get(url.searchParams.get('ext') ?? '');
    const media = ticket && ticket.expiresAt > Date.now() ? this.media.get(ticket.mediaId) : undefined;
    if (!media || ticket?.mediaId !== url.searchParams.get('mid')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('URL expired or unknown');
      return true;
    }
    if (media.quirks.redirect) {
      res.writeHead(302, { Location: media.quirks.redirect });
      res.end();
      return true;
    }
    res.writeHead(200, { 'Content-Type': media.mimeType, 'Content-Length': String(media.data.length) });
    res.end(media.data);
    return true;
  }

  private message(phoneNumberId: string, token: string, body: Buffer, res: ServerResponse): true {
    let payload: { messaging_product?: unknown; to?: unknown; type?: unknown; text?: { body?: unknown } };
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return graphError(res, 400, 100, 'Invalid JSON');
    }
    const text = payload.text?.body;
    if (payload.messaging_product !== 'whatsapp' || typeof payload.to !== 'string' || payload.type !== 'text')
      return graphError(res, 400, 100, 'Invalid parameter');
    if (typeof text !== 'string' || text === '') return graphError(res, 400, 100, 'Message body required');
    this.sent.push({
      provider: 'meta',
      at: new Date().toISOString(),
      account: phoneNumberId,
      authUser: 'Bearer',
      authPassword: token,
      fields: { from: `meta:${phoneNumberId}`, to: payload.to, type: 'text', text },
    });
    const wamid = `wamid.${randomBytes(24).toString('base64')}`;
    return json(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: payload.to, wa_id: payload.to }],
      messages: [{ id: wamid }],
    });
  }
}
