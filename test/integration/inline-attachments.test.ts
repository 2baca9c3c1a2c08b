import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { S3AttachmentStore } from '../../src/adapters/aws/s3-attachment-store.js';
import type { AttachmentStore, AttachmentUpload } from '../../src/app/ports.js';
import { storeInlineAttachments } from '../../src/app/store-inline-attachments.js';
import { attachmentKey } from '../../src/domain/attachment-key.js';
import { DependencyError } from '../../src/domain/errors.js';
import { startS3Emulator } from '../../src/local/emulators.js';
import { ATTACHMENTS_BUCKET, MAILGUN_MAX_MESSAGE_BYTES } from '../../src/resources.js';
import { localS3Client } from '../helpers/local-s3.js';
import { useAttachmentsBucket } from '../helpers/use-attachments-bucket.js';

const BUCKET = ATTACHMENTS_BUCKET.localName;
const BOUNDARY = '----mailgun-inline-test';
const bucket = useAttachmentsBucket();

interface Part {
  readonly name: string;
  readonly value?: string;
  readonly file?: { readonly filename: string; readonly type: string; readonly data: Buffer };
}

/** A multipart/form-data body as Mailgun's forward() posts it (fields, then attachment-1..n). */
function multipart(parts: readonly Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.file
      ? `form-data; name="${part.name}"; filename="${part.file.filename}"\r\nContent-Type: ${part.file.type}`
      : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(part.file ? part.file.data : Buffer.from(part.value ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const keyFor = (messageId: string) => (index: number) =>
  attachmentKey({
    prefix: ATTACHMENTS_BUCKET.keyPrefix,
    attempt: '0123456789abcdef',
    companyId: 'company-cucumber',
    conversationId: 'conv-inline',
    messageId,
    index,
  });
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

// A boundary-like line inside the bytes must not split the file.
const pdf = Buffer.concat([
  Buffer.from('%PDF-1.7\n'),
  randomBytes(100 * 1024),
  Buffer.from(`\r\n--${BOUNDARY.slice(0, 10)}`),
  randomBytes(100 * 1024),
]);
const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(40 * 1024)]);
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const body = multipart([
  { name: 'sender', value: 'candidate@example.com' },
  { name: 'attachment-1', file: { filename: 'cv.pdf', type: 'application/pdf', data: pdf } },
  { name: 'body-plain', value: 'Please find my CV attached.' },
  { name: 'attachment-2', file: { filename: 'Lettre de motivation é.docx', type: DOCX_TYPE, data: docx } },
]);

describe('inline (forward) attachments streamed from the verified body into S3', () => {
  it('stores a 200 KB PDF and a DOCX byte for byte, listed as the context lists them', async () => {
    const keys = keyFor('<inline@mail.example>');
    const stored = await storeInlineAttachments(new S3AttachmentStore(bucket.s3, { bucket: BUCKET }), {
      contentTypeHeader: `multipart/form-data; boundary=${BOUNDARY}`,
      body,
      keyFor: keys,
      maxBytesPerAttachment: MAILGUN_MAX_MESSAGE_BYTES,
    });

    expect(stored).toEqual([
      {
        filename: 'cv.pdf',
        content_type: 'application/pdf',
        size: pdf.length,
        sha256: sha256(pdf),
        s3: { bucket: BUCKET, key: keys(0) },
      },
      {
        filename: 'Lettre de motivation é.docx',
        content_type: DOCX_TYPE,
        size: docx.length,
        sha256: sha256(docx),
        s3: { bucket: BUCKET, key: keys(1) },
      },
    ]);
    expect((await bucket.read(keys(0))).equals(pdf)).toBe(true);
    expect((await bucket.read(keys(1))).equals(docx)).toBe(true);
  });

  it('one attachment at a time: the second upload starts only after the first is stored', async () => {
    const events: string[] = [];
    const recording: AttachmentStore = {
      async put(upload: AttachmentUpload) {
        events.push(`start ${upload.key}`);
        let size = 0;
        for await (const chunk of upload.body) size += chunk.byteLength;
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`end ${upload.key}`);
        return { size, sha256: '', s3: { bucket: 'b', key: upload.key } };
      },
    };
    await storeInlineAttachments(recording, {
      contentTypeHeader: `multipart/form-data; boundary=${BOUNDARY}`,
      body,
      keyFor: (i) => `k${i}`,
      maxBytesPerAttachment: MAILGUN_MAX_MESSAGE_BYTES,
    });
    expect(events).toEqual(['start k0', 'end k0', 'start k1', 'end k1']);
  });

  it('S3 down: rejects with the dependency failure (the handler answers 503 and queues nothing)', async () => {
    const down = await startS3Emulator(0);
    const endpoint = down.endpoint;
    await down.stop();
    const client = localS3Client(endpoint);
    try {
      await expect(
        storeInlineAttachments(new S3AttachmentStore(client, { bucket: BUCKET }), {
          contentTypeHeader: `multipart/form-data; boundary=${BOUNDARY}`,
          body,
          keyFor: keyFor('<down@mail.example>'),
          maxBytesPerAttachment: MAILGUN_MAX_MESSAGE_BYTES,
        }),
      ).rejects.toBeInstanceOf(DependencyError);
    } finally {
      client.destroy();
    }
  });

  it('a body without files stores nothing', async () => {
    const stored = await storeInlineAttachments(new S3AttachmentStore(bucket.s3, { bucket: BUCKET }), {
      contentTypeHeader: `multipart/form-data; boundary=${BOUNDARY}`,
      body: multipart([{ name: 'sender', value: 'x@example.com' }]),
      keyFor: keyFor('<none@mail.example>'),
      maxBytesPerAttachment: 10,
    });
    expect(stored).toEqual([]);
  });
});
