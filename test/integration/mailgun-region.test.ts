import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DisallowedStorageUrlError,
  HttpMailgunStorage,
} from '../../src/adapters/outbound/http-mailgun-storage.js';
import { HttpOutboundSender } from '../../src/adapters/outbound/http-outbound-sender.js';
import { mailgunApiBaseUrlFor } from '../../src/adapters/outbound/mailgun-api-base-url.js';
import type { AttachmentStore } from '../../src/app/ports.js';
import { MailgunStorage } from '../../src/local/mailgun-storage.js';

/**
 * Mailgun's US and EU APIs as two stand-ins on this machine: a tenant's stored messages are fetched, and its
 * fallbacks sent, only through the API its registry entry names (`mailgun_api_host`), US when it names none.
 */
const API_KEY = 'key-region-test-0123456789';

interface Region {
  readonly server: Server;
  readonly url: string;
  readonly storage: MailgunStorage;
  readonly posts: string[];
}

async function region(): Promise<Region> {
  let base = '';
  const storage = new MailgunStorage(
    () => base,
    (key) => key === API_KEY,
  );
  const posts: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'POST') {
      posts.push(path);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"<sent@mailgun>"}');
      return;
    }
    if (!storage.handle(path, req as never, res as never)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url: base, storage, posts };
}

let us: Region;
let eu: Region;
const unusedStore = {} as AttachmentStore;

beforeAll(async () => {
  [us, eu] = await Promise.all([region(), region()]);
});
afterAll(async () => {
  for (const { server } of [us, eu]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('Mailgun API region per tenant', () => {
  it('the US API unless the entry names the EU host', () => {
    const urls = {
      mailgunApiBaseUrl: 'https://api.mailgun.net',
      mailgunEuApiBaseUrl: 'https://api.eu.mailgun.net',
    };
    expect(mailgunApiBaseUrlFor(urls, undefined)).toBe('https://api.mailgun.net');
    expect(mailgunApiBaseUrlFor(urls, 'api.mailgun.net')).toBe('https://api.mailgun.net');
    expect(mailgunApiBaseUrlFor(urls, 'api.eu.mailgun.net')).toBe('https://api.eu.mailgun.net');
  });

  it("an EU tenant's stored message is fetched from the EU API; a US tenant's key never goes there", async () => {
    const client = new HttpMailgunStorage({
      mailgunApiBaseUrl: us.url,
      mailgunEuApiBaseUrl: eu.url,
      store: unusedStore,
    });
    const notification = eu.storage.store(
      'mg.eu.example.com',
      { 'body-plain': 'Bonjour', subject: 'CV' },
      [],
    );

    const message = await client.fetchMessage(notification['message-url'], API_KEY, 'api.eu.mailgun.net');
    expect(message).toMatchObject({ 'body-plain': 'Bonjour' });

    const before = eu.storage.requests.length;
    await expect(client.fetchMessage(notification['message-url'], API_KEY)).rejects.toBeInstanceOf(
      DisallowedStorageUrlError,
    );
    const usMessage = us.storage.store('mg.example.com', { 'body-plain': 'Hello' }, []);
    await expect(
      client.fetchMessage(usMessage['message-url'], API_KEY, 'api.eu.mailgun.net'),
    ).rejects.toBeInstanceOf(DisallowedStorageUrlError);
    expect(eu.storage.requests.length).toBe(before);
  });

  it("fallbacks go out through the tenant's own regional API", async () => {
    const sender = new HttpOutboundSender({
      twilioApiBaseUrl: 'http://127.0.0.1:9',
      mailgunApiBaseUrl: us.url,
      mailgunEuApiBaseUrl: eu.url,
    });
    const credentials = { api_key: API_KEY, domain: 'mg.example.com', signing_key: 'unused' };
    const message = {
      channel: 'email',
      to: 'candidate@example.org',
      from: 'replies@mg.example.com',
      body: 'Hi',
    } as const;

    await sender.send({ ...message, mailgunApiHost: 'api.eu.mailgun.net' }, credentials);
    await sender.send(message, credentials);

    expect(eu.posts).toEqual(['/v3/mg.example.com/messages']);
    expect(us.posts).toEqual(['/v3/mg.example.com/messages']);
  });
});
