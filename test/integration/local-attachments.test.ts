import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3AttachmentStore } from '../../src/adapters/aws/s3-attachment-store.js';
import { createS3Client } from '../../src/adapters/aws/s3-client.js';
import { HttpMailgunStorage } from '../../src/adapters/outbound/http-mailgun-storage.js';
import { DependencyError } from '../../src/domain/errors.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { type S3Emulator, startS3Emulator } from '../../src/local/emulators.js';
import type { MailgunStorage } from '../../src/local/mailgun-storage.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

const CREDENTIALS = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const DEMO_API_KEY = 'local-demo-api-key';
let t: TestStack;
let s3: S3Client;

beforeAll(async () => {
  t = await startTestStack();
  s3 = createS3Client(t.stack.config, CREDENTIALS);
});
afterAll(async () => {
  s3.destroy();
  await t.stop();
});

function refs(notification: { attachments: string }) {
  return (JSON.parse(notification.attachments) as Record<string, unknown>[]).map((a) => ({
    url: String(a.url),
    contentType: String(a['content-type']),
    name: String(a.name),
    size: Number(a.size),
  }));
}

describe('the local stack: S3 emulator and Mailgun storage API', () => {
  it('starts an S3 emulator and creates the attachments bucket in it', async () => {
    expect(t.stack.config.endpoints.s3).toBe(t.stack.s3Endpoint);
    await expect(
      s3.send(new HeadBucketCommand({ Bucket: t.stack.config.attachmentsBucket })),
    ).resolves.toBeDefined();
  });

  it('serves stored messages under the Mailgun base URL, with the demo API key, into the stack’s bucket', async () => {
    const storage = t.stack.outbox.storage as MailgunStorage;
    const data = randomBytes(300 * 1024);
    const notification = storage.store(DEMO.emailAddress.split('@')[1] as string, { subject: 'CV' }, [
      { name: 'cv.pdf', contentType: 'application/pdf', data },
    ]);
    expect(notification['message-url'].startsWith(`${t.stack.config.mailgunApiBaseUrl}/v3/domains/`)).toBe(
      true,
    );
    const client = new HttpMailgunStorage({
      mailgunApiBaseUrl: t.stack.config.mailgunApiBaseUrl,
      store: new S3AttachmentStore(s3, { bucket: t.stack.config.attachmentsBucket }),
    });

    const [stored] = await client.storeAttachments(
      refs(notification),
      ['attachments/local/test/0'],
      DEMO_API_KEY,
    );
    const object = await s3.send(
      new GetObjectCommand({ Bucket: t.stack.config.attachmentsBucket, Key: stored?.s3.key }),
    );
    const back = Buffer.from(
      await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );

    expect(back.equals(data)).toBe(true);
    expect(await client.fetchMessage(notification['message-url'], DEMO_API_KEY)).toMatchObject({
      subject: 'CV',
    });
    await expect(client.fetchMessage(notification['message-url'], 'not-the-key')).rejects.toBeInstanceOf(
      DependencyError,
    );
    expect(storage.requests.at(-1)?.authorized).toBe(false);
  });

  it('uses AWS_ENDPOINT_URL_S3 instead of its own emulator, creating the bucket there', async () => {
    const external: S3Emulator = await startS3Emulator(0);
    const other = await startTestStack({ s3Endpoint: external.endpoint });
    const client = createS3Client(other.stack.config, CREDENTIALS);
    try {
      expect(other.stack.s3Endpoint).toBe(external.endpoint);
      await expect(
        client.send(new HeadBucketCommand({ Bucket: other.stack.config.attachmentsBucket })),
      ).resolves.toBeDefined();
    } finally {
      client.destroy();
      await other.stop();
      await external.stop();
    }
  });
});
