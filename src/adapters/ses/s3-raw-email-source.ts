import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RawEmail, RawEmailSource } from '../../app/ports.js';
import { dependencyCall } from '../dependency-call.js';

/**
 * The raw MIME message SES's S3 action stored. The use case has already checked the bucket is SES_INBOUND_BUCKET;
 * the role may only GetObject under its `inbound/` prefix (opt-in SES stack, test/infra/ses-inbound.test.ts). The
 * size SES reports is checked before any byte is read, and again after reading; a larger message is answered
 * with its size only (the use case hands it to a human with the object's reference).
 */
export class S3RawEmailSource implements RawEmailSource {
  constructor(
    private readonly client: S3Client,
    private readonly maxBytes: number,
  ) {}

  get(bucket: string, key: string): Promise<RawEmail> {
    return dependencyCall('ses-inbound-bucket', async () => {
      const object = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = object.Body;
      if (!body) throw new Error('S3 object without a body');
      const declared = object.ContentLength ?? 0;
      if (declared > this.maxBytes) {
        await body.transformToWebStream().cancel();
        return { tooLarge: true, size: declared };
      }
      const bytes = await body.transformToByteArray();
      if (bytes.byteLength > this.maxBytes) return { tooLarge: true, size: bytes.byteLength };
      return { bytes };
    });
  }
}
