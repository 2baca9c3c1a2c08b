import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { AttachmentStore, AttachmentUpload, StoredAttachment } from '../../app/ports.js';
import { currentDeadline } from '../../app/request-deadline.js';
import { PayloadTooLargeError } from '../../domain/errors.js';
import { ATTACHMENT_PART_BYTES } from '../../resources.js';
import { dependencyCall } from '../dependency-call.js';

export interface S3AttachmentStoreOptions {
  readonly bucket: string;
  /** Multipart above this (and parts of this size); S3 requires ≥ 5 MiB for every part but the last. */
  readonly partBytes?: number;
}

/**
 * Streams each attachment to S3 while hashing it: lib-storage sends one PutObject when the body fits in one part
 * and a multipart upload otherwise, one part in flight at a time (queueSize 1), so memory stays near one part
 * whatever the attachment's size. S3 verifies every request against the SHA-256 sent with it; the whole-body
 * SHA-256 the context lists is computed here over exactly the bytes sent.
 */
export class S3AttachmentStore implements AttachmentStore {
  private readonly partBytes: number;

  constructor(
    private readonly client: S3Client,
    private readonly options: S3AttachmentStoreOptions,
  ) {
    this.partBytes = options.partBytes ?? ATTACHMENT_PART_BYTES;
  }

  async put(upload: AttachmentUpload): Promise<Omit<StoredAttachment, 'filename' | 'content_type'>> {
    const hash = createHash('sha256');
    let size = 0;
    let tooLarge = false;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of upload.body) {
        size += chunk.byteLength;
        if (size > upload.maxBytes) {
          tooLarge = true;
          throw new PayloadTooLargeError('Attachment too large');
        }
        hash.update(chunk);
        yield chunk;
      }
    }
    const abortController = new AbortController();
    const deadline = currentDeadline();
    const onDeadline = () => abortController.abort();
    deadline?.addEventListener('abort', onDeadline, { once: true });
    const uploadOnce = async () => {
      if (deadline?.aborted) throw new Error('Deadline passed before the upload started');
      await new Upload({
        client: this.client,
        params: {
          Bucket: this.options.bucket,
          Key: upload.key,
          Body: Readable.from(counted(), { objectMode: false }),
          // Never the declared type: a stored `text/html` or `image/svg+xml` must not render if ever served as is.
          ContentType: 'application/octet-stream',
          Metadata: { 'declared-content-type': upload.contentType },
          ChecksumAlgorithm: 'SHA256',
        },
        partSize: this.partBytes,
        queueSize: 1,
        leavePartsOnError: false,
        abortController,
      })
        .done()
        .catch((error: unknown) => {
          // Over the size allowed: permanent (`too_large`), whatever S3 made of the aborted upload.
          throw tooLarge ? new PayloadTooLargeError('Attachment too large') : error;
        });
    };
    try {
      await dependencyCall('s3', uploadOnce);
    } finally {
      deadline?.removeEventListener('abort', onDeadline);
    }
    return { size, sha256: hash.digest('hex'), s3: { bucket: this.options.bucket, key: upload.key } };
  }
}
