import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { QueuedContext } from './context-schema.js';

/** `message.attachments[i]` of a queued context (the schema checks the shape). */
export interface Stored {
  readonly filename: string;
  readonly content_type: string;
  readonly size: number;
  readonly sha256: string;
  readonly s3: { readonly bucket: string; readonly key: string };
}

export const storedOf = (context: QueuedContext | undefined): Stored[] =>
  (context?.message.attachments ?? []) as Stored[];

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Reads the attachments bucket back through the AWS SDK (what the consumer of the context would do). */
export function bucketReader(s3: S3Client, bucket: string) {
  return {
    async object(key: string): Promise<Buffer> {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(
        await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
    },
    async keysUnder(prefix: string): Promise<string[]> {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
    },
  };
}
