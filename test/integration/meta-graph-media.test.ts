import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3AttachmentStore } from '../../src/adapters/aws/s3-attachment-store.js';
import { HttpGraphApi } from '../../src/adapters/outbound/http-graph-api.js';
import { OutboundSendError } from '../../src/adapters/outbound/http-outbound-sender.js';
import { MetaOutboundSender } from '../../src/adapters/outbound/meta-outbound-sender.js';
import { storeProviderMedia } from '../../src/app/store-provider-media.js';
import { attachmentKey } from '../../src/domain/attachment-key.js';
import type { MetaMediaRef } from '../../src/domain/meta-message.js';
import type { GraphMediaRef } from '../../src/local/graph-api-stand-in.js';
import { type LocalGraphApi, startLocalGraphApi } from '../../src/local/start-graph-api.js';
import { ATTACHMENTS_BUCKET } from '../../src/resources.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { useAttachmentsBucket } from '../helpers/use-attachments-bucket.js';

const TOKEN = 'meta-test-access-token';
const PNID = '100200300400500';
const BUCKET = ATTACHMENTS_BUCKET.localName;
const owner = { companyId: 'company-cucumber', conversationId: 'conv-meta', messageId: 'wamid.MEDIA' };
/** Every key of one message, whatever the attempt id the store chose (a fresh one per attempt: nothing overwritten). */
const messagePrefix = (messageId = owner.messageId) =>
  attachmentKey({
    prefix: ATTACHMENTS_BUCKET.keyPrefix,
    ...owner,
    messageId,
    attempt: '0'.repeat(24),
    index: 0,
  }).slice(0, -`${'0'.repeat(24)}/0`.length);
const keyOf = (index: number) =>
  expect.stringMatching(
    new RegExp(`^${messagePrefix().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[0-9a-f]{24}/${index}$`),
  );

const bucket = useAttachmentsBucket();
let graph: LocalGraphApi;
/** Another loopback host: anything the client sends there (a URL, a redirect) is recorded with its headers. */
let trap: RecordingServer;
let client: HttpGraphApi;

beforeAll(async () => {
  const secretsFile = join(tmpdir(), `meta-graph-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(secretsFile, JSON.stringify({ 'whatsapp-credentials/c/p/meta': { access_token: TOKEN } }));
  graph = await startLocalGraphApi({ host: '127.0.0.1', secretsFile });
  trap = await startRecordingServer('127.0.0.2');
  client = new HttpGraphApi({ graphApiBaseUrl: graph.baseUrl });
});
afterAll(async () => {
  await graph?.stop();
  await trap?.close();
});
beforeEach(() => {
  trap.hits.length = 0;
  graph.standIn.requests.length = 0;
});

const ports = () => ({ graphApi: client, attachments: new S3AttachmentStore(bucket.s3, { bucket: BUCKET }) });

function asWebhookRef(ref: GraphMediaRef, kind: MetaMediaRef['kind'] = 'image'): MetaMediaRef {
  return {
    kind,
    id: ref.id,
    mimeType: ref.mimeType,
    sha256: ref.sha256,
    ...(ref.filename ? { filename: ref.filename } : {}),
  };
}

const source = (media: MetaMediaRef[], accessToken = TOKEN) =>
  ({ kind: 'meta', accessToken, phoneNumberId: PNID, media }) as const;

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await bucket.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '');
}

describe('Meta media through the Graph API stand-in into S3 (real fetch, real S3 client)', () => {
  it('an image and a PDF: stored byte for byte like email attachments, Meta’s SHA-256 checked', async () => {
    const image = randomBytes(300_000);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(40_000)]);
    const refs = [
      asWebhookRef(graph.standIn.putMedia({ data: image, mimeType: 'image/jpeg' })),
      asWebhookRef(
        graph.standIn.putMedia({ data: pdf, mimeType: 'application/pdf', filename: 'cv.pdf' }),
        'document',
      ),
    ];

    const result = await storeProviderMedia(ports(), source(refs), owner);

    expect(result.notStored).toEqual([]);
    expect(result.stored).toEqual([
      {
        filename: 'image.jpg',
        content_type: 'image/jpeg',
        size: image.length,
        sha256: createHash('sha256').update(image).digest('hex'),
        s3: { bucket: BUCKET, key: keyOf(0) },
      },
      {
        filename: 'cv.pdf',
        content_type: 'application/pdf',
        size: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
        s3: { bucket: BUCKET, key: keyOf(1) },
      },
    ]);
    expect(await bucket.read(result.stored[0]?.s3.key ?? '')).toEqual(image);
    expect(await bucket.read(result.stored[1]?.s3.key ?? '')).toEqual(pdf);
    // The metadata call named the phone number (Meta then checks the media belongs to it).
    expect(graph.standIn.requests.filter((r) => r.path.startsWith('/v26.0/'))).toHaveLength(2);
  });

  it('bytes that do not match the SHA-256 Meta announced are not stored at all', async () => {
    const data = randomBytes(20_000);
    const other = createHash('sha256').update('something else').digest('hex');
    const ref = graph.standIn.putMedia({ data, mimeType: 'image/png' }, { sha256: other });
    const messageId = 'wamid.MISMATCH';

    const result = await storeProviderMedia(ports(), source([asWebhookRef(ref)]), { ...owner, messageId });

    expect(result.stored).toEqual([]);
    expect(result.notStored).toEqual([
      expect.objectContaining({
        index: 0,
        reference: ref.id,
        reason: 'sha256-mismatch',
        content_type: 'image/png',
      }),
    ]);
    expect(await keysUnder(messagePrefix(messageId))).toEqual([]);
  });

  it('a wrong SHA-256 in the webhook itself (base64) is caught the same way', async () => {
    const data = randomBytes(5_000);
    const ref = graph.standIn.putMedia({ data, mimeType: 'image/png' });
    const forged = { ...asWebhookRef(ref), sha256: createHash('sha256').update('x').digest('base64') };
    const result = await storeProviderMedia(ports(), source([forged]), { ...owner, messageId: 'wamid.B64' });
    expect(result.notStored.map((n) => n.reason)).toEqual(['sha256-mismatch']);
  });

  it.each([
    ['a media URL on another host is never requested (the bearer token stays home)', 'url', '/steal'],
    ['a redirect from the media host to another host is not followed', 'redirect', '/redirected'],
  ] as const)('ATTACK: %s', async (_, quirk, path) => {
    const ref = graph.standIn.putMedia(
      { data: randomBytes(100), mimeType: 'image/jpeg' },
      { [quirk]: `${trap.url}${path}` },
    );
    const result = await storeProviderMedia(ports(), source([asWebhookRef(ref)]), {
      ...owner,
      messageId: `wamid.${quirk}`,
    });
    expect(result.notStored.map((n) => n.reason)).toEqual(['refused-url']);
    expect(trap.hits).toEqual([]);
  });

  it('ATTACK: https-looking hosts that merely contain Meta’s media host are refused before any request', async () => {
    for (const url of [
      'https://lookaside.fbsbx.com.evil.example/x',
      'https://evil.example/lookaside.fbsbx.com/x',
      'http://lookaside.fbsbx.com/x',
      'https://user:pass@lookaside.fbsbx.com/x',
    ]) {
      await expect(client.downloadMedia(url, TOKEN, { maxBytes: 1000 })).rejects.toThrow(
        'not on an allowed provider host',
      );
    }
  });

  it('media over the size bound is left with Meta from its declared size, never downloaded', async () => {
    const ref = graph.standIn.putMedia({ data: randomBytes(10_000), mimeType: 'video/mp4' });
    const result = await storeProviderMedia(ports(), source([asWebhookRef(ref, 'video')]), owner, {
      maxBytes: 9_999,
    });
    expect(result.notStored.map((n) => [n.reason, n.filename])).toEqual([['too-large', 'video.mp4']]);
    expect(graph.standIn.requests.some((r) => r.path.startsWith('/whatsapp_business/'))).toBe(false);
  });

  it('a wrong access token: Meta refuses, the media stays with Meta (its id is kept)', async () => {
    const ref = graph.standIn.putMedia({ data: randomBytes(100), mimeType: 'image/jpeg' });
    const result = await storeProviderMedia(ports(), source([asWebhookRef(ref)], 'not-the-token'), owner);
    expect(result.notStored).toEqual([expect.objectContaining({ reference: ref.id, reason: 'unavailable' })]);
  });

  it('no time left in the media budget: nothing is fetched, the reference is kept', async () => {
    const ref = graph.standIn.putMedia({ data: randomBytes(100), mimeType: 'image/jpeg' });
    const result = await storeProviderMedia(ports(), source([asWebhookRef(ref)]), owner, { budgetMs: 0 });
    expect(result.notStored.map((n) => n.reason)).toEqual(['budget']);
  });
});

describe('Graph API messages (the unknown-sender reply)', () => {
  it('POSTs the text as Meta documents it, with the bearer token; the stand-in records it for the outbox', async () => {
    graph.standIn.sent.length = 0;
    await new MetaOutboundSender(client).send(
      { channel: 'whatsapp', from: `meta:${PNID}`, to: '+447700900123', body: 'Hi! Who is this? 👋' },
      { access_token: TOKEN },
    );
    expect(graph.standIn.sent).toEqual([
      expect.objectContaining({
        provider: 'meta',
        account: PNID,
        authPassword: TOKEN,
        fields: { from: `meta:${PNID}`, to: '447700900123', type: 'text', text: 'Hi! Who is this? 👋' },
      }),
    ]);
  });

  it('a refused token is an OutboundSendError with Meta’s status, sent once (a 4xx does not change)', async () => {
    const before = graph.standIn.requests.length;
    await expect(
      client.sendText({ phoneNumberId: PNID, to: '447700900123', body: 'x' }, 'wrong-token'),
    ).rejects.toEqual(expect.objectContaining({ name: 'OutboundSendError', status: 401 }));
    expect(graph.standIn.requests.length - before).toBe(1);
    await expect(
      new MetaOutboundSender(client).send(
        { channel: 'whatsapp', from: 'whatsapp:+1415', to: '+44', body: 'x' },
        { access_token: TOKEN },
      ),
    ).rejects.toBeInstanceOf(OutboundSendError);
  });
});
