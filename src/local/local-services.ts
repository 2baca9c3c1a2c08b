import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulators, type S3Emulator, startEmulators, startS3Emulator } from './emulators.js';
import type { LocalStackOptions } from './local-stack.js';
import { type LocalSes, startLocalSes } from './ses/start-local-ses.js';
import { type LocalGraphApi, startLocalGraphApi } from './start-graph-api.js';

/** The AWS services the local stack talks to: embedded emulators, or the external endpoints it was given. */
export interface LocalServices {
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly s3Endpoint: string;
  /** Where the embedded DynamoDB keeps its data; undefined: in memory (or an external endpoint). */
  readonly dynamodbDataDir: string | undefined;
  /** The local SNS server and the SESv2 emulator. */
  readonly ses: LocalSes;
  /** Meta's Graph API stand-in (media, messages), on a port of its own. */
  readonly graph: LocalGraphApi;
  stop(): Promise<void>;
}

/** Starts an emulator only for each service without an external endpoint (AWS_ENDPOINT_URL_*); all or none. */
export async function startLocalServices(options: LocalStackOptions, host: string): Promise<LocalServices> {
  const dynamodbDataDir =
    options.dataDir && !options.dynamodbEndpoint ? resolvePath(options.dataDir, 'dynamodb') : undefined;
  const emulators =
    options.dynamodbEndpoint && options.sqsEndpoint
      ? undefined
      : await startEmulators({
          dynamodbPort: options.dynamodbEndpoint ? false : options.dynamodbPort,
          sqsPort: options.sqsEndpoint ? false : options.sqsPort,
          host,
          ...(dynamodbDataDir ? { dynamodbDataDir } : {}),
        });
  let s3Emulator: S3Emulator | undefined;
  let ses: LocalSes | undefined;
  let graph: LocalGraphApi;
  try {
    s3Emulator = options.s3Endpoint ? undefined : await startS3Emulator(options.s3Port ?? 0, host);
    ses = await startLocalSes({
      sesPort: options.sesPort ?? 0,
      host,
      ...(options.sesv2Endpoint ? { sesv2Endpoint: options.sesv2Endpoint } : {}),
    });
    graph = await startLocalGraphApi({
      host,
      secretsFile: options.secretsFile ?? fileURLToPath(new URL('./demo-secrets.json', import.meta.url)),
    });
  } catch (error) {
    await emulators?.stop();
    await s3Emulator?.stop();
    await ses?.stop();
    throw error;
  }
  return {
    dynamodbEndpoint: options.dynamodbEndpoint ?? (emulators as Emulators).dynamodbEndpoint,
    sqsEndpoint: options.sqsEndpoint ?? (emulators as Emulators).sqsEndpoint,
    s3Endpoint: options.s3Endpoint ?? (s3Emulator as S3Emulator).endpoint,
    dynamodbDataDir,
    ses,
    graph,
    async stop() {
      await emulators?.stop();
      await s3Emulator?.stop();
      await ses?.stop();
      await graph.stop();
    },
  };
}
