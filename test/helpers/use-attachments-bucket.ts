import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type S3Emulator, startS3Emulator } from '../../src/local/emulators.js';
import { provisionBucket } from '../../src/local/provision-bucket.js';
import { ATTACHMENTS_BUCKET } from '../../src/resources.js';
import { localS3Client } from './local-s3.js';
import { useForFile } from './use-for-file.js';

export interface AttachmentsBucket {
  /** The handler's S3 client (`localS3Client`) for the emulator. */
  readonly s3: S3Client;
  /** The bytes stored under `key`, to compare with what was sent. */
  read(key: string): Promise<Buffer>;
}

async function startWithBucket(): Promise<{ emulator: S3Emulator; client: S3Client }> {
  const emulator = await startS3Emulator(0);
  const client = localS3Client(emulator.endpoint);
  try {
    await provisionBucket(client, ATTACHMENTS_BUCKET.localName);
  } catch (error) {
    client.destroy();
    await emulator.stop();
    throw error;
  }
  return { emulator, client };
}

/**
 * An S3 emulator holding the attachments bucket, for the whole test file: started and provisioned in `beforeAll`
 * (register it before hooks that use it), stopped after all tests.
 */
export function useAttachmentsBucket(): AttachmentsBucket {
  const started = useForFile('the S3 emulator', startWithBucket, async ({ emulator, client }) => {
    client.destroy();
    await emulator.stop();
  });
  const s3 = () => started().client;
  return {
    get s3() {
      return s3();
    },
    read: (key) => readObject(s3(), key),
  };
}

/** The bytes of one object of the attachments bucket. */
export async function readObject(s3: S3Client, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: ATTACHMENTS_BUCKET.localName, Key: key }));
  return Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}
