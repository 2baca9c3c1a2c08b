import { S3Client } from '@aws-sdk/client-s3';
import type { RequestDeadline } from '../../app/ports.js';
import { AWS_CLIENTS } from '../../resources.js';
import { type ClientSettings, deadlineAware } from './aws-clients.js';
import { clientDefaults } from './client-defaults.js';

export interface S3ClientOptions {
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly deadline?: RequestDeadline;
}

/**
 * The attachments client, kept out of `aws-clients.ts` so only runtimes that store attachments load client-s3.
 * Same two attempts and deadline as the other clients; a longer idle timeout, since a 5 MiB part takes longer than
 * a DynamoDB write. Against an emulator (AWS_ENDPOINT_URL_S3): path-style addressing (no bucket DNS locally).
 */
export function createS3Client(config: ClientSettings, options: S3ClientOptions = {}): S3Client {
  return deadlineAware(
    new S3Client({
      ...clientDefaults(config, options, AWS_CLIENTS.s3MinRequestMs),
      // The adapter asks for SHA-256 itself; the default would add a CRC32 and, for streamed bodies, aws-chunked
      // framing that S3 emulators store as content (docs/seed-deviations.md).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      ...(config.endpoints.s3 ? { endpoint: config.endpoints.s3, forcePathStyle: true } : {}),
    }),
    options.deadline,
  );
}
