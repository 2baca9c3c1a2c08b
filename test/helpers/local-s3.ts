import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/adapters/aws/s3-client.js';
import { loadConfig } from '../../src/config.js';
import { ENV, QUEUE_URL_ENV } from '../../src/resources.js';

/**
 * The S3 client the handler builds (`createS3Client` from `loadConfig`), pointed at an S3 endpoint on this machine
 * with the emulators' credentials. `env` adds other variables (AWS_CALL_TIMEOUT_MS…); the queue URLs are dummies.
 */
export function localS3Client(endpoint: string, env: Record<string, string> = {}): S3Client {
  const config = loadConfig({
    ...Object.fromEntries(Object.values(QUEUE_URL_ENV).map((name) => [name, 'http://127.0.0.1/q'])),
    [ENV.s3Endpoint]: endpoint,
    ...env,
  });
  return createS3Client(config, {
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}
