import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AsyncLocalDeadline } from '../../src/adapters/async-local-deadline.js';
import { S3AttachmentStore } from '../../src/adapters/aws/s3-attachment-store.js';
import {
  DisallowedStorageUrlError,
  HttpMailgunStorage,
} from '../../src/adapters/outbound/http-mailgun-storage.js';
import type { MailgunStoredAttachmentRef } from '../../src/app/ports.js';
import { attachmentKey } from '../../src/domain/attachment-key.js';
import { DependencyError } from '../../src/domain/errors.js';
import { MailgunStorage } from '../../src/local/mailgun-storage.js';
import { ATTACHMENTS_BUCKET } from '../../src/resources.js';
import { useAttachmentsBucket } from '../helpers/use-attachments-bucket.js';

const API_KEY = 'key-storage-test-0123456789';
const BUCKET = ATTACHMENTS_BUCKET.localName;
/** The webhooks' deadline, as the composition roots hand it to the adapter. */
const deadline = new AsyncLocalDeadline();

interface Listening {
  readonly server: Server;
  readonly url: string;
  readonly hits: string[];
}

async function listen(
  host: string,
  handler: (path: string, req: never, res: never) => boolean,
): Promise<Listening> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(path);
    if (!handler(path, req as never, res as never)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return { server, url: `http://${host}:${(server.address() as AddressInfo).port}`, hits };
}

async function close({ server }: Listening): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const bucket = useAttachmentsBucket();
let mailgun: Listening;
let storage: MailgunStorage;
/** Another host on this machine (127.0.0.2 is loopback too): a fetch aimed at it would be recorded here. */
let trap: Listening;
let client: HttpMailgunStorage;

beforeAll(async () => {
  let base = '';
  storage = new MailgunStorage(
    () => base,
    (key) => key === API_KEY,
  );
  mailgun = await listen('127.0.0.1', (path, req, res) => {
    if (path.includes('/messages/redirect/')) {
      (res as import('node:http').ServerResponse).writeHead(302, { Location: `${trap.url}/stolen` });
      (res as import('node:http').ServerResponse).end();
      return true;
    }
    return storage.handle(path, req, res);
  });
  base = mailgun.url;
  trap = await listen('127.0.0.2', () => false);
  client = new HttpMailgunStorage({
    mailgunApiBaseUrl: mailgun.url,
    store: new S3AttachmentStore(bucket.s3, { bucket: BUCKET }),
    deadline,
  });
});
afterAll(async () => {
  await Promise.all([close(mailgun), close(trap)]);
});
afterEach(() => {
  vi.restoreAllMocks();
});

function refsOf(notification: { attachments: string }): MailgunStoredAttachmentRef[] {
  return (JSON.parse(notification.attachments) as Record<string, unknown>[]).map((a) => ({
    url: String(a.url),
    contentType: String(a['content-type']),
    name: String(a.name),
    size: Number(a.size),
  }));
}

const keysFor = (messageId: string, count: number) =>
  Array.from({ length: count }, (_, index) =>
    attachmentKey({
      prefix: ATTACHMENTS_BUCKET.keyPrefix,
      attempt: '0123456789abcdef',
      companyId: 'company-cucumber',
      conversationId: 'conv-cv',
      messageId,
      index,
    }),
  );

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('Mailgun store(notify): attachments fetched from the storage API into S3', () => {
  it('fetches a 7 MB attachment with the API key and stores it byte for byte', async () => {
    const data = randomBytes(7 * 1024 * 1024 + 5);
    const notification = storage.store('mg.example.com', { subject: 'CV' }, [
      { name: 'cv.pdf', contentType: 'application/pdf', data },
    ]);
    const keys = keysFor('<big-notify@mail.example>', 1);

    const stored = await client.storeAttachments(refsOf(notification), keys, API_KEY);

    expect(stored).toEqual([
      {
        filename: 'cv.pdf',
        content_type: 'application/pdf',
        size: data.length,
        sha256: sha256(data),
        s3: { bucket: BUCKET, key: keys[0] },
      },
    ]);
    expect((await bucket.read(keys[0] as string)).equals(data)).toBe(true);
    expect(storage.requests.at(-1)).toEqual({
      path: expect.stringMatching(/\/attachments\/0$/),
      authorized: true,
    });
  });

  it('reads the stored message with the API key', async () => {
    const notification = storage.store('mg.example.com', { 'body-plain': 'Hello', subject: 'CV' }, []);
    const message = await client.fetchMessage(notification['message-url'], API_KEY);
    expect(message).toMatchObject({ 'body-plain': 'Hello', subject: 'CV', attachments: [] });
  });

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['another host on this machine', 'TRAP'],
    ['a look-alike of the Mailgun host', 'https://api.mailgun.net.evil.example/x'],
  ])(
    'never fetches an attachment URL on %s, nor any other attachment of that message',
    async (_name, target) => {
      // Blocked, so that even a broken allow-list could not send a request to the metadata address.
      const fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('blocked by the test'));
      const good = storage.store('mg.example.com', {}, [
        { name: 'a.txt', contentType: 'text/plain', data: Buffer.from('fine') },
      ]);
      const before = storage.requests.length;
      const evil = {
        url: target === 'TRAP' ? `${trap.url}/v3/x` : target,
        contentType: 'text/plain',
        name: 'b',
        size: 1,
      };

      const failure = await client
        .storeAttachments([...refsOf(good), evil], keysFor('<evil@mail.example>', 2), API_KEY)
        .catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(DisallowedStorageUrlError);
      expect((failure as DisallowedStorageUrlError).code).toBe('BAD_REQUEST');
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(trap.hits).toEqual([]);
      expect(storage.requests.length).toBe(before);
    },
  );

  it('never follows a redirect away from the Mailgun host (the key would go with it)', async () => {
    const url = `${mailgun.url}/v3/domains/mg.example.com/messages/redirect/attachments/0`;
    const failure = await client
      .storeAttachments(
        [{ url, contentType: 'text/plain', name: 'r', size: 1 }],
        keysFor('<r@mail.example>', 1),
        API_KEY,
      )
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyError);
    expect(trap.hits).toEqual([]);
  });

  it('a wrong API key is a dependency failure (5xx: Mailgun retries once the key is fixed)', async () => {
    const notification = storage.store('mg.example.com', {}, [
      { name: 'a.txt', contentType: 'text/plain', data: Buffer.from('x') },
    ]);
    await expect(
      client.storeAttachments(refsOf(notification), keysFor('<k@mail.example>', 1), 'wrong'),
    ).rejects.toBeInstanceOf(DependencyError);
    expect(storage.requests.at(-1)?.authorized).toBe(false);
  });

  it('refuses attachments declared over 25 MB in total without fetching any', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const url = `${mailgun.url}/v3/domains/d/messages/abc/attachments/0`;
    const refs = [
      { url, contentType: 'application/pdf', name: 'a', size: 13 * 1024 * 1024 },
      { url, contentType: 'application/pdf', name: 'b', size: 13 * 1024 * 1024 },
    ];
    await expect(
      client.storeAttachments(refs, keysFor('<huge@mail.example>', 2), API_KEY),
    ).rejects.toMatchObject({ permanent: 'too_large' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('stops reading an attachment that turns out larger than the bound, whatever its declared size', async () => {
    const small = new HttpMailgunStorage({
      mailgunApiBaseUrl: mailgun.url,
      store: new S3AttachmentStore(bucket.s3, { bucket: BUCKET }),
      maxBytes: 1024,
    });
    const notification = storage.store('mg.example.com', {}, [
      { name: 'a.bin', contentType: 'application/octet-stream', data: randomBytes(4096) },
    ]);
    const refs = refsOf(notification).map((ref) => ({ ...ref, size: 10 }));
    await expect(
      small.storeAttachments(refs, keysFor('<liar@mail.example>', 1), API_KEY),
    ).rejects.toMatchObject({ permanent: 'too_large' });
  });

  it('past the webhook deadline: a dependency failure (5xx, Mailgun retries), nothing fetched', async () => {
    const notification = storage.store('mg.example.com', {}, [
      { name: 'a.txt', contentType: 'text/plain', data: Buffer.from('late') },
    ]);
    const before = storage.requests.length;
    const expired = AbortSignal.abort();
    const failure = await deadline
      .run(expired, () =>
        client.storeAttachments(refsOf(notification), keysFor('<late@mail.example>', 1), API_KEY),
      )
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyError);
    expect(storage.requests.length).toBe(before);
  });
});
