import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createS3Client } from '../../src/adapters/aws/s3-client.js';
import { MAX_INLINE_BODY_BYTES } from '../../src/domain/inline-body-limit.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { type S3Emulator, startS3Emulator } from '../../src/local/emulators.js';
import type { MailgunStorage } from '../../src/local/mailgun-storage.js';
import { OBSERVABILITY } from '../../src/resources.js';
import { emailMessageId, mailgunFields, multipartBody } from '../fixtures/mailgun-webhooks.js';
import { AwsProxy } from '../helpers/aws-proxy.js';
import { assertValidContext, type QueuedContext } from '../helpers/context-schema.js';
import { seedConversation } from '../helpers/conversations.js';
import { postInlineAttachments, postStoreNotify } from '../helpers/mailgun-posts.js';
import { bucketReader, sha256, storedOf } from '../helpers/stored-attachments.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

const CREDENTIALS = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const DOMAIN = DEMO.emailAddress.split('@')[1] as string;
let t: TestStack;
let s3Emulator: S3Emulator;
let s3Proxy: AwsProxy;
let s3: S3Client;
let attacker: Server;
let attackerHits = 0;

beforeAll(async () => {
  s3Emulator = await startS3Emulator(0);
  s3Proxy = new AwsProxy(s3Emulator.endpoint);
  await s3Proxy.start();
  t = await startTestStack({ s3Endpoint: s3Proxy.url });
  s3 = createS3Client(t.stack.config, CREDENTIALS);
  ({ object, keysUnder } = bucketReader(s3, t.stack.config.attachmentsBucket));
  // A server the attacker controls: an attachment URL pointing here must never be fetched (the API key would leak).
  attacker = createServer((_req, res) => {
    attackerHits++;
    res.end('secret-looking bytes');
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  s3.destroy();
  await t.stop();
  await s3Proxy.stop();
  await s3Emulator.stop();
  await new Promise((resolve) => attacker.close(resolve));
});
beforeEach(() => {
  s3Proxy.mode = { kind: 'pass' };
  t.sqsProxy.mode = { kind: 'pass' };
  s3Proxy.reset();
});

let object: (key: string) => Promise<Buffer>;
let keysUnder: (prefix: string) => Promise<string[]>;

const mailgunNow = () => Math.floor(t.clock.now().getTime() / 1000);

const inline = (
  sender: string,
  messageId: string,
  attachments: { name: string; type: string; content: Buffer }[],
) => postInlineAttachments(t.url('/email'), sender, messageId, attachments, mailgunNow());

/** A store(notify) notification as Mailgun posts it (urlencoded, signed like any route post). */
const notify = (sender: string, messageId: string, refs: { 'message-url': string; attachments: string }) =>
  postStoreNotify(t.url('/email'), sender, refs, {
    timestamp: mailgunNow(),
    fields: {
      'body-plain': 'Please find my CV attached.',
      'message-headers': JSON.stringify([
        ['Message-Id', messageId],
        ['X-Mailgun-Spf', 'Pass'],
      ]),
    },
  });

describe('email attachments stored in S3 before queueing', () => {
  it('stores both attachments of an inline email byte for byte, with their sha256 in a valid context', async () => {
    const { sender, conversationId } = await seedConversation(t, 'email');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200 * 1024)]);
    const docx = Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(30 * 1024)]);
    const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

    const response = await inline(sender, emailMessageId(), [
      { name: 'cv.pdf', type: 'application/pdf', content: pdf },
      { name: 'cover letter.docx', type: docxType, content: docx },
    ]);

    expect(response.status).toBe(200);
    const [context] = (await t.drain('emailReplies')) as QueuedContext[];
    assertValidContext(context);
    const attachments = storedOf(context);
    expect(
      attachments.map(({ filename, content_type, size, sha256: hash }) => ({
        filename,
        content_type,
        size,
        hash,
      })),
    ).toEqual([
      { filename: 'cv.pdf', content_type: 'application/pdf', size: pdf.length, hash: sha256(pdf) },
      { filename: 'cover letter.docx', content_type: docxType, size: docx.length, hash: sha256(docx) },
    ]);
    for (const a of attachments) {
      expect(a.s3.bucket).toBe(t.stack.config.attachmentsBucket);
      expect(a.s3.key.startsWith(`attachments/${DEMO.company.company_id}/${conversationId}/`)).toBe(true);
      expect(a.s3.key).not.toContain('@');
    }
    expect((await object(attachments[0]?.s3.key ?? '')).equals(pdf)).toBe(true);
    expect((await object(attachments[1]?.s3.key ?? '')).equals(docx)).toBe(true);
  });

  it('fetches a 7 MB store(notify) attachment with the API key and stores it byte for byte', async () => {
    const { sender } = await seedConversation(t, 'email');
    const cv = randomBytes(7 * 1024 * 1024);
    const storage = t.stack.outbox.storage as MailgunStorage;
    const refs = storage.store(DOMAIN, { subject: 'My CV' }, [
      { name: 'cv.pdf', contentType: 'application/pdf', data: cv },
    ]);
    const before = storage.requests.length;

    const response = await notify(sender, emailMessageId(), refs);

    expect(response.status).toBe(200);
    const [context] = (await t.drain('emailReplies')) as QueuedContext[];
    assertValidContext(context);
    const [stored] = storedOf(context);
    expect(stored).toMatchObject({ size: cv.length, sha256: sha256(cv) });
    expect((await object(stored?.s3.key ?? '')).equals(cv)).toBe(true);
    const fetched = storage.requests.slice(before);
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.every((r) => r.authorized)).toBe(true);
  });

  it('never fetches an attachment URL on another host (metadata address, attacker server): 406, nothing queued or stored', async () => {
    const { sender } = await seedConversation(t, 'email');
    const port = (attacker.address() as AddressInfo).port;
    for (const url of [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      `http://127.0.0.1:${port}/v3/domains/${DOMAIN}/messages/x/attachments/0`,
    ]) {
      const refs = {
        'message-url': `${t.stack.config.mailgunApiBaseUrl}/v3/domains/${DOMAIN}/messages/x`,
        attachments: JSON.stringify([{ url, 'content-type': 'application/pdf', name: 'cv.pdf', size: 10 }]),
      };
      const response = await notify(sender, emailMessageId(), refs);
      expect(response.status).toBe(406);
    }
    expect(attackerHits).toBe(0);
    expect(s3Proxy.calls.length).toBe(0);
    expect(await t.drain('emailReplies')).toEqual([]);
    expect(t.metrics.get(OBSERVABILITY.metrics.storedAttachmentRefused)).toBeGreaterThanOrEqual(2);
  });

  it('answers 406 to an inline post one byte over MAX_INLINE_BODY_BYTES, queueing and storing nothing', async () => {
    const { sender } = await seedConversation(t, 'email');
    const before = t.metrics.get(OBSERVABILITY.metrics.inlineEmailTooLarge);
    const fields = mailgunFields({
      recipient: DEMO.emailAddress,
      sender,
      messageId: emailMessageId(),
      signingKey: DEMO.signingKey,
      timestamp: Math.floor(t.clock.now().getTime() / 1000),
    });
    const file = (data: Buffer) => [
      { name: 'attachment-1', filename: 'big.pdf', contentType: 'application/pdf', data },
    ];
    const empty = multipartBody(fields, file(Buffer.alloc(0))).body.length;
    const { contentType, body } = multipartBody(fields, file(randomBytes(MAX_INLINE_BODY_BYTES + 1 - empty)));
    expect(body.length).toBe(MAX_INLINE_BODY_BYTES + 1);

    const response = await fetch(t.url('/email'), {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body,
    });

    expect(response.status).toBe(406);
    expect(await t.drain('emailReplies')).toEqual([]);
    expect(s3Proxy.calls.length).toBe(0);
    expect(t.metrics.get(OBSERVABILITY.metrics.inlineEmailTooLarge)).toBe(before + 1);
  });

  it('a retry after a queue failure stores under keys of its own (never over another attempt’s), and queues one message', async () => {
    const { sender, conversationId } = await seedConversation(t, 'email');
    const messageId = emailMessageId();
    const cv = randomBytes(50 * 1024);
    const files = [{ name: 'cv.pdf', type: 'application/pdf', content: cv }];
    t.sqsProxy.mode = { kind: 'fail' };

    expect((await inline(sender, messageId, files)).status).toBe(503);
    const prefix = `attachments/${DEMO.company.company_id}/${conversationId}/`;
    const afterFailure = await keysUnder(prefix);
    t.sqsProxy.mode = { kind: 'pass' };
    expect((await inline(sender, messageId, files)).status).toBe(200);
    expect((await inline(sender, messageId, files)).status).toBe(200);

    expect(afterFailure).toHaveLength(1);
    const after = await keysUnder(prefix);
    // The failed attempt's object stays (unreferenced; the lifecycle rule expires it); the duplicate stored nothing.
    expect(after).toHaveLength(2);
    expect(after).toContain(afterFailure[0]);
    const queued = (await t.drain('emailReplies')) as QueuedContext[];
    expect(queued).toHaveLength(1);
    const key = storedOf(queued[0])[0]?.s3.key ?? '';
    expect(after.filter((k) => k !== afterFailure[0])).toEqual([key]);
    expect((await object(key)).equals(cv)).toBe(true);
  });

  it('answers 503 while S3 is unavailable, queueing nothing, and queues exactly one message after recovery', async () => {
    const { sender } = await seedConversation(t, 'email');
    const messageId = emailMessageId();
    const files = [{ name: 'cv.pdf', type: 'application/pdf', content: randomBytes(20 * 1024) }];
    s3Proxy.mode = { kind: 'fail' };

    expect((await inline(sender, messageId, files)).status).toBe(503);
    expect((await inline(sender, messageId, files)).status).toBe(503);
    expect(await t.drain('emailReplies')).toEqual([]);
    s3Proxy.mode = { kind: 'pass' };
    expect((await inline(sender, messageId, files)).status).toBe(200);
    expect((await inline(sender, messageId, files)).status).toBe(200);

    expect(await t.drain('emailReplies')).toHaveLength(1);
  });
});
