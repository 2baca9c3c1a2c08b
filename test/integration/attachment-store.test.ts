import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsyncLocalDeadline } from '../../src/adapters/async-local-deadline.js';
import { S3AttachmentStore } from '../../src/adapters/aws/s3-attachment-store.js';
import { attachmentKey } from '../../src/domain/attachment-key.js';
import { DependencyError } from '../../src/domain/errors.js';
import { type S3Emulator, startS3Emulator } from '../../src/local/emulators.js';
import { provisionBucket } from '../../src/local/provision-bucket.js';
import { ATTACHMENT_PART_BYTES, ATTACHMENTS_BUCKET } from '../../src/resources.js';
import { localS3Client } from '../helpers/local-s3.js';
import { readObject } from '../helpers/use-attachments-bucket.js';

const BUCKET = ATTACHMENTS_BUCKET.localName;
/** The webhooks' deadline, as the composition roots hand it to the adapter. */
const deadline = new AsyncLocalDeadline();
let emulator: S3Emulator;
let s3: S3Client;
let store: S3AttachmentStore;

function clientFor(endpoint: string, awsCallTimeoutMs = 1_000): S3Client {
  return localS3Client(endpoint, { AWS_CALL_TIMEOUT_MS: String(awsCallTimeoutMs) });
}

beforeAll(async () => {
  emulator = await startS3Emulator(0);
  s3 = clientFor(emulator.endpoint);
  await provisionBucket(s3, BUCKET);
  // Creating an existing bucket again is a no-op (an external AWS_ENDPOINT_URL_S3 may already have it).
  await provisionBucket(s3, BUCKET);
  store = new S3AttachmentStore(s3, { bucket: BUCKET, deadline });
  s3.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

/** Yields `data` in uneven network-sized chunks, as a fetch body or a multipart parser would. */
async function* chunked(data: Buffer, size = 64 * 1024 + 7): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

const read = (key: string) => readObject(s3, key);

/** Names of the commands the shared client sent since the last `splice(0)` (an SDK middleware records them). */
const sent: string[] = [];

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function keyFor(messageId: string, index: number): string {
  return attachmentKey({
    prefix: ATTACHMENTS_BUCKET.keyPrefix,
    attempt: '0123456789abcdef',
    companyId: 'company-cucumber',
    conversationId: 'conv-cv-1',
    messageId,
    index,
  });
}

/** A 200 KB PDF and a DOCX (a ZIP container): binary bytes, including ones text handling would mangle. */
function cvAttachments(): { name: string; type: string; data: Buffer }[] {
  const pdf = Buffer.concat([
    Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
    randomBytes(200 * 1024 - 15),
  ]);
  const docx = Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x03, 0x04]),
    randomBytes(48 * 1024),
    Buffer.from('\r\n\0'),
  ]);
  return [
    { name: 'cv.pdf', type: 'application/pdf', data: pdf },
    {
      name: 'cover-letter.docx',
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      data: docx,
    },
  ];
}

describe('S3 attachment store against the S3 emulator, through the AWS SDK', () => {
  it('stores a 200 KB PDF and a DOCX byte for byte, with the SHA-256 of the stored bytes', async () => {
    const files = cvAttachments();
    const stored = [];
    for (const [index, file] of files.entries()) {
      stored.push(
        await store.put({
          key: keyFor('<cv-1@mail.example>', index),
          contentType: file.type,
          body: chunked(file.data),
          maxBytes: 25 * 1024 * 1024,
        }),
      );
    }

    for (const [index, file] of files.entries()) {
      const result = stored[index];
      expect(result).toEqual({
        size: file.data.length,
        sha256: sha256(file.data),
        s3: { bucket: BUCKET, key: keyFor('<cv-1@mail.example>', index) },
      });
      const back = await read(result?.s3.key ?? '');
      expect(back.equals(file.data)).toBe(true);
      expect(sha256(back)).toBe(result?.sha256);
    }
    const head = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: keyFor('<cv-1@mail.example>', 0) }),
    );
    // Served as bytes, never as the declared type; the declared type is kept as metadata.
    expect(head.ContentType).toBe('application/octet-stream');
    expect(head.Metadata?.['declared-content-type']).toBe('application/pdf');
    await head.Body?.transformToByteArray();
  });

  it('stores a 7 MB attachment as a multipart upload, byte for byte', async () => {
    const data = randomBytes(7 * 1024 * 1024 + 321);
    expect(data.length).toBeGreaterThan(ATTACHMENT_PART_BYTES);
    const key = keyFor('<big@mail.example>', 0);
    sent.splice(0);

    const result = await store.put({
      key,
      contentType: 'application/pdf',
      body: chunked(data),
      maxBytes: 25 << 20,
    });

    expect(result.size).toBe(data.length);
    expect(result.sha256).toBe(sha256(data));
    const back = await read(key);
    expect(back.length).toBe(data.length);
    expect(back.equals(data)).toBe(true);
    expect(sent.splice(0)).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'CompleteMultipartUploadCommand',
      'GetObjectCommand',
    ]);
  });

  it('stores an attachment at or below the part size with one PutObject', async () => {
    sent.splice(0);
    const data = randomBytes(ATTACHMENT_PART_BYTES);
    await store.put({
      key: keyFor('<one@mail.example>', 0),
      contentType: 'image/png',
      body: chunked(data),
      maxBytes: 25 << 20,
    });
    expect(sent.splice(0)).toEqual(['PutObjectCommand']);
  });

  it('a retried message writes the same keys again: one object per attachment, the same bytes', async () => {
    const files = cvAttachments();
    const messageId = '<retried@mail.example>';
    for (let attempt = 0; attempt < 2; attempt++) {
      for (const [index, file] of files.entries()) {
        await store.put({
          key: keyFor(messageId, index),
          contentType: file.type,
          body: chunked(file.data),
          maxBytes: 1 << 20,
        });
      }
    }
    const prefix = keyFor(messageId, 0).replace(/0$/, '');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([
      keyFor(messageId, 0),
      keyFor(messageId, 1),
    ]);
    expect((await read(keyFor(messageId, 1))).equals(files[1]?.data ?? Buffer.alloc(0))).toBe(true);
  });

  it('refuses a body longer than its bound and keeps nothing of it', async () => {
    const key = keyFor('<too-big@mail.example>', 0);
    const data = randomBytes(ATTACHMENT_PART_BYTES + 1024);

    await expect(
      store.put({
        key,
        contentType: 'application/pdf',
        body: chunked(data),
        maxBytes: ATTACHMENT_PART_BYTES,
      }),
    ).rejects.toMatchObject({ dependency: 's3', permanent: 'too_large' });
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });

  it('S3 unreachable → DependencyError (a 503 before anything is queued)', async () => {
    const down = await startS3Emulator(0);
    const endpoint = down.endpoint;
    await down.stop();
    const client = clientFor(endpoint);
    const unreachable = new S3AttachmentStore(client, { bucket: BUCKET });

    const failure = await unreachable
      .put({
        key: keyFor('<down@mail.example>', 0),
        contentType: 'text/plain',
        body: chunked(Buffer.from('hi')),
        maxBytes: 10,
      })
      .catch((error: unknown) => error);
    client.destroy();

    expect(failure).toBeInstanceOf(DependencyError);
    expect((failure as DependencyError).code).toBe('DEPENDENCY_FAILURE');
    expect((failure as DependencyError).message).toBe('Dependency failure: s3');
  });

  it('stops at the webhook deadline instead of running past it', async () => {
    const controller = new AbortController();
    controller.abort();
    const failure = await deadline
      .run(controller.signal, () =>
        store.put({
          key: keyFor('<late@mail.example>', 0),
          contentType: 'text/plain',
          body: chunked(Buffer.from('late')),
          maxBytes: 10,
        }),
      )
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyError);
    await expect(
      s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: keyFor('<late@mail.example>', 0) })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});
