import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3AttachmentStore } from '../../src/adapters/aws/s3-attachment-store.js';
import { HttpTwilioMedia } from '../../src/adapters/outbound/http-twilio-media.js';
import { storeProviderMedia } from '../../src/app/store-provider-media.js';
import { attachmentKey } from '../../src/domain/attachment-key.js';
import { TwilioMediaStandIn } from '../../src/local/twilio-media-stand-in.js';
import { ATTACHMENTS_BUCKET } from '../../src/resources.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { useAttachmentsBucket } from '../helpers/use-attachments-bucket.js';

const SID = `AC${'ab'.repeat(16)}`;
const TOKEN = 'twilio-media-test-token';
const BUCKET = ATTACHMENTS_BUCKET.localName;
const owner = {
  companyId: 'company-cucumber',
  conversationId: 'conv-twilio',
  messageId: `MM${'cd'.repeat(16)}`,
};

const bucket = useAttachmentsBucket();
/** The Twilio API host (the stand-in under `/twilio`) and another host that must never be asked for anything. */
let hosts: { readonly twilio: RecordingServer; readonly trap: RecordingServer };
let media: TwilioMediaStandIn;
let base: string;

beforeAll(async () => {
  media = new TwilioMediaStandIn(
    () => base,
    (sid, token) => sid === SID && token === TOKEN,
  );
  const twilio = await startRecordingServer('127.0.0.1', (path, req, res) =>
    path.startsWith('/twilio/') ? media.handle(path.slice('/twilio'.length), req, res) : false,
  );
  base = `${twilio.url}/twilio`;
  hosts = { twilio, trap: await startRecordingServer('127.0.0.2') };
});
afterAll(async () => {
  await Promise.all([hosts?.twilio.close(), hosts?.trap.close()]);
});
beforeEach(() => {
  hosts.twilio.hits.length = 0;
  hosts.trap.hits.length = 0;
});

const ports = () => ({
  twilioMedia: new HttpTwilioMedia({ twilioApiBaseUrl: base }),
  attachments: new S3AttachmentStore(bucket.s3, { bucket: BUCKET }),
});
const source = (url: string, authToken = TOKEN) =>
  ({
    kind: 'twilio',
    accountSid: SID,
    authToken,
    media: [{ url, content_type: 'application/pdf' }],
  }) as const;

describe('Twilio MediaUrl into S3 (real fetch against the Twilio media stand-in)', () => {
  it('a WhatsApp PDF: Basic auth to the API host only, redirect followed without it, stored with its SHA-256', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(120_000)]);
    const url = media.put(SID, { data: pdf, contentType: 'application/pdf' });

    const result = await storeProviderMedia(ports(), source(url), owner);

    const key = result.stored[0]?.s3.key ?? '';
    // A fresh attempt id per store (nothing is ever overwritten): only the part before it is known.
    const before = attachmentKey({
      prefix: ATTACHMENTS_BUCKET.keyPrefix,
      ...owner,
      attempt: '0'.repeat(24),
      index: 0,
    });
    expect(key.slice(0, before.length - 26)).toBe(before.slice(0, before.length - 26));
    expect(result).toEqual({
      stored: [
        {
          filename: 'media-0.pdf',
          content_type: 'application/pdf',
          size: pdf.length,
          sha256: createHash('sha256').update(pdf).digest('hex'),
          s3: { bucket: BUCKET, key },
        },
      ],
      notStored: [],
    });
    expect(await bucket.read(key)).toEqual(pdf);
    const basic = `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`;
    expect(hosts.twilio.hits.map((h) => [h.path.split('/')[2], h.authorization])).toEqual([
      ['2010-04-01', basic],
      ['media-cdn', undefined],
    ]);
  });

  it('ATTACK: a MediaUrl off the Twilio API base is never requested (the Auth Token stays home)', async () => {
    const url = `${hosts.trap.url}/2010-04-01/Accounts/${SID}/Messages/MM1/Media/ME1`;
    const result = await storeProviderMedia(ports(), source(url), owner);
    expect(result.notStored).toEqual([expect.objectContaining({ reference: url, reason: 'refused-url' })]);
    expect(hosts.trap.hits).toEqual([]);
  });

  it('ATTACK: Twilio’s redirect to a host that is not a Twilio media host is not followed', async () => {
    const url = media.put(
      SID,
      { data: randomBytes(100), contentType: 'application/pdf' },
      { redirect: `${hosts.trap.url}/cdn` },
    );
    const result = await storeProviderMedia(ports(), source(url), owner);
    expect(result.notStored.map((n) => n.reason)).toEqual(['refused-url']);
    expect(hosts.trap.hits).toEqual([]);
  });

  it('wrong credentials: Twilio refuses, the MediaUrl is kept as the reference', async () => {
    const url = media.put(SID, { data: randomBytes(100), contentType: 'application/pdf' });
    const result = await storeProviderMedia(ports(), source(url, 'wrong'), owner);
    expect(result.notStored).toEqual([expect.objectContaining({ reference: url, reason: 'unavailable' })]);
  });

  it('over the size bound: refused from Content-Length, nothing stored', async () => {
    const url = media.put(SID, { data: randomBytes(50_000), contentType: 'application/pdf' });
    const result = await storeProviderMedia(
      ports(),
      source(url),
      { ...owner, messageId: 'MMbig' },
      { maxBytes: 49_999 },
    );
    expect(result.notStored.map((n) => n.reason)).toEqual(['too-large']);
    expect(result.stored).toEqual([]);
  });

  it('no Twilio media adapter wired: the media is kept by reference', async () => {
    const url = media.put(SID, { data: randomBytes(10), contentType: 'application/pdf' });
    const { attachments } = ports();
    const result = await storeProviderMedia({ attachments }, source(url), owner);
    expect(result.notStored.map((n) => n.reason)).toEqual(['not-configured']);
  });
});
