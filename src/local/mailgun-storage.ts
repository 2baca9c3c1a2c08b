import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { constantTimeEqual } from '../domain/constant-time-equal.js';
import type { SecretsFile } from './secrets-file.js';

/** Any `api_key` of the local secrets file (re-read each time, so editing the file rotates it). */
export function apiKeysOf(secrets: SecretsFile): (key: string) => boolean {
  return (key) =>
    Object.values(secrets.current()).some(
      (secret) => typeof secret.api_key === 'string' && constantTimeEqual(secret.api_key, key),
    );
}

export interface StoredAttachmentFile {
  readonly name: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/** What a store(notify) notification carries about the stored message, as Mailgun posts it. */
interface StoredMessageRefs {
  readonly 'message-url': string;
  /** JSON text, as in the notification: `[{ url, content-type, name, size }]`. */
  readonly attachments: string;
}

export interface StorageRequest {
  readonly path: string;
  readonly authorized: boolean;
}

interface StoredMessage {
  readonly domain: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly attachments: readonly StoredAttachmentFile[];
}

const MAX_STORED_MESSAGES = 100;

/** Local only: what Mailgun does when a store() route keeps a message (`send email --store-notify` posts here). */
const STORE_PATH = /^\/v3\/domains\/([^/]+)\/messages$/;

const MESSAGE_PATH = /^\/v3\/domains\/([^/]+)\/messages\/([A-Za-z0-9_-]+)(?:\/attachments\/(\d+))?$/;

function basicPassword(header: string | undefined): string | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded.startsWith('api:') ? decoded.slice(4) : undefined;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * A local stand-in for Mailgun's storage API (store() route action): `GET /v3/domains/{domain}/messages/{key}`
 * answers the stored message's fields as JSON, `…/attachments/{n}` the attachment's bytes, both only with HTTP
 * Basic `api:<API key>`. Messages are kept in memory (local tooling; Mailgun keeps them 3 days). Every request is
 * recorded, so tests can prove a URL elsewhere was never fetched from here either.
 */
export class MailgunStorage {
  readonly requests: StorageRequest[] = [];
  private readonly messages = new Map<string, StoredMessage>();

  /**
   * @param baseUrl The public base of this API (e.g. `http://127.0.0.1:3000/_local/mailgun`), for the URLs it hands
   *   out; a function when it is known only once the server listens.
   * @param isApiKey Whether a key is the account's API key (locally: any `api_key` in the secrets file).
   */
  constructor(
    private readonly baseUrl: string | (() => string),
    private readonly isApiKey: (key: string) => boolean,
  ) {}

  /** Stores a message as Mailgun's store() does; returns the fields its notification adds. */
  store(
    domain: string,
    fields: Readonly<Record<string, string>>,
    attachments: readonly StoredAttachmentFile[],
  ) {
    const key = randomBytes(24).toString('base64url');
    this.messages.set(key, { domain, fields, attachments });
    // A long-running `npm start` keeps the latest messages only (Mailgun keeps them 3 days).
    for (const oldest of this.messages.keys()) {
      if (this.messages.size <= MAX_STORED_MESSAGES) break;
      this.messages.delete(oldest);
    }
    const base = typeof this.baseUrl === 'string' ? this.baseUrl : this.baseUrl();
    const messageUrl = `${base}/v3/domains/${encodeURIComponent(domain)}/messages/${key}`;
    const refs: StoredMessageRefs = {
      'message-url': messageUrl,
      attachments: JSON.stringify(
        attachments.map((file, index) => ({
          url: `${messageUrl}/attachments/${index}`,
          'content-type': file.contentType,
          name: file.name,
          size: file.data.length,
        })),
      ),
    };
    return refs;
  }

  clear(): void {
    this.messages.clear();
    this.requests.length = 0;
  }

  /** Handles `path` (relative to the Mailgun base URL); false when it is not a storage path. */
  handle(path: string, req: IncomingMessage, res: ServerResponse, body?: Buffer): boolean {
    const password = basicPassword(req.headers.authorization);
    const authorized = password !== undefined && this.isApiKey(password);
    const storing = STORE_PATH.exec(path);
    if (storing && req.method === 'POST') {
      if (!authorized) json(res, 401, { message: 'Forbidden' });
      else
        void storeFromForm(req, body ?? Buffer.alloc(0)).then(
          ({ fields, files }) =>
            json(res, 200, this.store(decodeURIComponent(storing[1] ?? ''), fields, files)),
          () => json(res, 400, { message: 'Malformed multipart body' }),
        );
      return true;
    }
    const match = MESSAGE_PATH.exec(path);
    if (!match) return false;
    this.requests.push({ path, authorized });
    if (this.requests.length > MAX_STORED_MESSAGES * 10) this.requests.splice(0, this.requests.length / 2);
    if (req.method !== 'GET') {
      json(res, 405, { message: 'Method not allowed' });
      return true;
    }
    if (!authorized) {
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('Forbidden');
      return true;
    }
    const [, domain, key, attachment] = match;
    const message = this.messages.get(key ?? '');
    if (!message || message.domain !== decodeURIComponent(domain ?? '')) {
      json(res, 404, { message: 'Message not found' });
      return true;
    }
    if (attachment === undefined) {
      const base = typeof this.baseUrl === 'string' ? this.baseUrl : this.baseUrl();
      const messageUrl = `${base}${path}`;
      json(res, 200, {
        ...message.fields,
        attachments: message.attachments.map((file, index) => ({
          url: `${messageUrl}/attachments/${index}`,
          'content-type': file.contentType,
          name: file.name,
          size: file.data.length,
        })),
      });
      return true;
    }
    const file = message.attachments[Number(attachment)];
    if (!file) {
      json(res, 404, { message: 'Attachment not found' });
      return true;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(file.data.length) });
    res.end(file.data);
    return true;
  }
}

/** The message `--store-notify` hands over: its route fields and attachment files (local tooling, held in memory). */
function storeFromForm(
  req: IncomingMessage,
  body: Buffer,
): Promise<{ fields: Record<string, string>; files: StoredAttachmentFile[] }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: StoredAttachmentFile[] = [];
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 50, fields: 200 }, defParamCharset: 'utf8' });
    } catch (error) {
      reject(error);
      return;
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () =>
        files.push({
          name: info.filename ?? 'attachment',
          contentType: info.mimeType,
          data: Buffer.concat(chunks),
        }),
      );
    });
    parser.on('error', reject);
    parser.on('close', () => resolve({ fields, files }));
    parser.end(body);
  });
}
