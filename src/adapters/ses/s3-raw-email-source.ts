import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RawEmailSource } from '../../app/ports.js';
import { PayloadTooLargeError } from '../../domain/errors.js';

/**
 * The raw MIME message SES's S3 action stored. The use case has already checked the bucket is SES_INBOUND_BUCKET;
 * the role may only GetObject under its `inbound/` prefix (opt-in SES stack, test/infra/ses-inbound.test.ts). The
 * size SES reports is checked before any byte is read, and again after reading.
 */
export class S3RawEmailSource implements RawEmailSource {
  constructor(
    private readonly client: S3Client,
    private readonly maxBytes: number,
  ) {}

  async get(bucket: string, key: string): Promise<Uint8Array> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = object.Body;
    if (!body) throw new Error('S3 object without a body');
    if ((object.ContentLength ?? 0) > this.maxBytes) {
      await body.transformToWebStream().cancel();
      throw new PayloadTooLargeError('Email too large');
    }
    const bytes = await body.transformToByteArray();
    if (bytes.byteLength > this.maxBytes) throw new PayloadTooLargeError('Email too large');
    return bytes;
  }
}
