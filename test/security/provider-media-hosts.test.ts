import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpGraphApi } from '../../src/adapters/outbound/http-graph-api.js';
import { HttpTwilioMedia } from '../../src/adapters/outbound/http-twilio-media.js';
import { DisallowedMediaUrlError } from '../../src/domain/provider-media-url.js';
import { type LocalGraphApi, startLocalGraphApi } from '../../src/local/start-graph-api.js';
import { TwilioMediaStandIn } from '../../src/local/twilio-media-stand-in.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';

/**
 * A provider's media URL is where its credentials go (Meta's bearer token, Twilio's Auth Token). Each test makes
 * the provider — or a webhook naming a URL — point elsewhere, and proves nothing, credentials least of all, reached
 * the other host (a second loopback address recording every request).
 */
const TOKEN = 'security-meta-token';
const SID = `AC${'ef'.repeat(16)}`;
const AUTH = 'security-twilio-token';
const limits = { maxBytes: 1_000_000 };

let graph: LocalGraphApi;
let twilio: { server: Server; url: string };
let twilioMedia: TwilioMediaStandIn;
let trap: RecordingServer;

async function listen(server: Server, host: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}
async function close(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

beforeAll(async () => {
  const secretsFile = join(tmpdir(), `media-hosts-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(secretsFile, JSON.stringify({ tenant: { access_token: TOKEN } }));
  graph = await startLocalGraphApi({ host: '127.0.0.1', secretsFile });
  trap = await startRecordingServer('127.0.0.2');
  let base = '';
  twilioMedia = new TwilioMediaStandIn(
    () => base,
    (sid, token) => sid === SID && token === AUTH,
  );
  const twilioServer = createServer((req, res) => {
    if (!twilioMedia.handle(req.url ?? '', req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  twilio = { server: twilioServer, url: await listen(twilioServer, '127.0.0.1') };
  base = twilio.url;
});
afterAll(async () => {
  await graph?.stop();
  await Promise.all([trap?.close(), close(twilio?.server)]);
});
beforeEach(() => {
  trap.hits.length = 0;
});

describe('Meta media: the bearer token goes to Graph and Meta’s media hosts only', () => {
  it('a media URL on another host is refused before any request', async () => {
    const client = new HttpGraphApi({ graphApiBaseUrl: graph.baseUrl });
    await expect(client.downloadMedia(`${trap.url}/media`, TOKEN, limits)).rejects.toBeInstanceOf(
      DisallowedMediaUrlError,
    );
    expect(trap.hits).toEqual([]);
  });

  it('a redirect from the media host to another host is not followed', async () => {
    const client = new HttpGraphApi({ graphApiBaseUrl: graph.baseUrl });
    const ref = graph.standIn.putMedia(
      { data: randomBytes(10), mimeType: 'image/jpeg' },
      { redirect: `${trap.url}/x` },
    );
    const info = await client.mediaInfo(ref.id, TOKEN);
    await expect(client.downloadMedia(info.url, TOKEN, limits)).rejects.toBeInstanceOf(
      DisallowedMediaUrlError,
    );
    expect(trap.hits).toEqual([]);
  });
});

describe('Twilio media: the Auth Token goes to the API host only', () => {
  it('a MediaUrl off the Twilio API base is refused before any request', async () => {
    const client = new HttpTwilioMedia({ twilioApiBaseUrl: twilio.url });
    const url = `${trap.url}/2010-04-01/Accounts/${SID}/Messages/MM${'0'.repeat(32)}/Media/ME${'0'.repeat(32)}`;
    await expect(client.download(url, { accountSid: SID, authToken: AUTH }, limits)).rejects.toBeInstanceOf(
      DisallowedMediaUrlError,
    );
    expect(trap.hits).toEqual([]);
  });

  it('a redirect to a host that is not Twilio’s media host is not followed', async () => {
    const client = new HttpTwilioMedia({ twilioApiBaseUrl: twilio.url });
    const url = twilioMedia.put(
      SID,
      { data: randomBytes(10), contentType: 'image/png' },
      { redirect: `${trap.url}/cdn` },
    );
    await expect(client.download(url, { accountSid: SID, authToken: AUTH }, limits)).rejects.toBeInstanceOf(
      DisallowedMediaUrlError,
    );
    expect(trap.hits).toEqual([]);
  });

  it('the allowed redirect (Twilio’s short-lived media URL) is fetched without the Auth Token', async () => {
    const client = new HttpTwilioMedia({ twilioApiBaseUrl: twilio.url });
    twilioMedia.requests.length = 0;
    const url = twilioMedia.put(SID, { data: randomBytes(10), contentType: 'image/png' });
    const media = await client.download(url, { accountSid: SID, authToken: AUTH }, limits);
    for await (const _ of media.body) {
      // drain
    }
    expect(twilioMedia.requests.map((r) => [r.path.split('/')[1], r.authorization])).toEqual([
      ['2010-04-01', true],
      ['media-cdn', false],
    ]);
  });
});
