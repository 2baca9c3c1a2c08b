import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeMetaSignature } from '../../src/domain/meta-signature.js';

/** One message the gateway sent through the Graph API (`POST /<phone_number_id>/messages`). */
export interface GraphMessage {
  readonly phoneNumberId: string;
  readonly authorization: string;
  readonly body: Record<string, unknown>;
}

export interface FakeMedia {
  readonly bytes: Buffer;
  readonly mimeType: string;
}

/**
 * The test acting as Meta (and as Twilio's media host): the Graph API's media metadata and download with the
 * bearer token, the messages endpoint, and Twilio `MediaUrlN` downloads. Serves HTTP on a free loopback port.
 */
export class FakeMeta {
  readonly sent: GraphMessage[] = [];
  readonly media = new Map<string, FakeMedia>();
  /** Twilio media by path (`/2010-04-01/Accounts/<sid>/Messages/<sid>/Media/<sid>`). */
  readonly twilioMedia = new Map<string, FakeMedia>();
  readonly requests: string[] = [];
  private server: Server | undefined;
  private origin = '';

  constructor(
    private readonly accessToken: string,
    private readonly twilioBasic?: string,
  ) {}

  get graphBaseUrl(): string {
    return `${this.origin}/v23.0`;
  }
  get twilioBaseUrl(): string {
    return this.origin;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const answer = this.answer(req, Buffer.concat(chunks));
        res.writeHead(answer.status, { 'Content-Type': answer.type });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private answer(
    req: IncomingMessage,
    body: Buffer,
  ): { status: number; type: string; body: string | Buffer } {
    const path = new URL(req.url ?? '/', this.origin).pathname;
    this.requests.push(`${req.method} ${path}`);
    const json = (status: number, value: unknown) => ({
      status,
      type: 'application/json',
      body: JSON.stringify(value),
    });
    if (path.startsWith('/2010-04-01/')) {
      const media = this.twilioMedia.get(path);
      if (req.headers.authorization !== this.twilioBasic) return json(401, { message: 'Authenticate' });
      return media ? { status: 200, type: media.mimeType, body: media.bytes } : json(404, {});
    }
    if (req.headers.authorization !== `Bearer ${this.accessToken}`) return json(401, { error: 'token' });
    const messages = /^\/v23\.0\/(\d+)\/messages$/.exec(path);
    if (messages && req.method === 'POST') {
      this.sent.push({
        phoneNumberId: messages[1] ?? '',
        authorization: req.headers.authorization ?? '',
        body: JSON.parse(body.toString('utf8')) as Record<string, unknown>,
      });
      return json(200, { messaging_product: 'whatsapp', messages: [{ id: `wamid.out${this.sent.length}` }] });
    }
    const info = /^\/v23\.0\/([\w.-]+)$/.exec(path);
    const download = /^\/media\/([\w.-]+)$/.exec(path);
    const media = this.media.get(info?.[1] ?? download?.[1] ?? '');
    if (!media) return json(404, { error: 'no such media' });
    if (download) return { status: 200, type: media.mimeType, body: media.bytes };
    return json(200, {
      messaging_product: 'whatsapp',
      url: `${this.origin}/media/${info?.[1]}`,
      mime_type: media.mimeType,
      sha256: createHash('sha256').update(media.bytes).digest('hex'),
      file_size: media.bytes.length,
      id: info?.[1],
    });
  }
}

export interface MetaChange {
  readonly phoneNumberId: string;
  readonly messages?: readonly unknown[];
  readonly statuses?: readonly unknown[];
  readonly contacts?: readonly unknown[];
}

/**
 * A webhook body as Meta posts it: every entry with its changes, non-ASCII escaped as `\uXXXX` (Meta signs that
 * text, so the signature must be computed over these bytes, not a re-serialisation).
 */
export function metaWebhookBody(entries: readonly (readonly MetaChange[])[]): Buffer {
  const json = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: entries.map((changes, i) => ({
      id: `10000000000000${i}`,
      changes: changes.map((change) => ({
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550001111', phone_number_id: change.phoneNumberId },
          ...(change.contacts ? { contacts: change.contacts } : {}),
          ...(change.messages ? { messages: change.messages } : {}),
          ...(change.statuses ? { statuses: change.statuses } : {}),
        },
      })),
    })),
  });
  return Buffer.from(
    json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    'utf8',
  );
}

export function metaSignatureHeader(body: Buffer, appSecret: string): string {
  return computeMetaSignature(body, appSecret);
}

let counter = 0;
/** A fresh wamid (Meta's message ids are opaque, base64-ish strings). */
export function wamid(): string {
  counter += 1;
  return `wamid.HBgL${Date.now().toString(36)}${counter}AA==`;
}

export function textMessage(from: string, body: string, id = wamid()) {
  return { from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } };
}
