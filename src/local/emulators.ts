import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import { DUMMY_ACCOUNT } from '@20minutes/s3rver/lib/models/account.js';
import dynalite from 'dynalite';
import { createSqsServer } from 'local-aws-sqs';

export interface Emulators {
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** 0 picks a free port (tests); `false` skips that emulator (an external endpoint is used instead). */
  readonly dynamodbPort: number | false;
  readonly sqsPort: number | false;
  readonly host?: string;
  /** DynamoDB data on disk here (dynalite's LevelDB mode) so it survives restarts; default: in memory. */
  readonly dynamodbDataDir?: string;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

/** Listens on `port` (0: any free one) and resolves with the port bound. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** The local stack's credentials (`local`/`local`), which every embedded emulator accepts. */
const LOCAL_S3_ACCESS_KEY = 'local';

export interface S3Emulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * S3 over its REST/XML protocol (`@20minutes/s3rver`, the maintained fork of s3rver; docs/seed-deviations.md): it
 * keeps objects in files, here a fresh temporary directory removed on stop. It knows one fixed key pair; the local
 * stack's `local`/`local` is added to it. Its SigV4 check disagrees with SDK v3's signatures (measured: every
 * request fails SignatureDoesNotMatch), so mismatches are allowed; unknown keys are still refused. 0: a free port.
 */
export async function startS3Emulator(port: number, host = '127.0.0.1'): Promise<S3Emulator> {
  DUMMY_ACCOUNT.createKeyPair(LOCAL_S3_ACCESS_KEY, LOCAL_S3_ACCESS_KEY);
  const directory = await mkdtemp(join(tmpdir(), 'replies-s3-'));
  const s3 = new S3rver({ address: host, port, silent: true, directory, allowMismatchedSignatures: true });
  try {
    const address = await s3.run();
    return {
      endpoint: `http://${host}:${address.port}`,
      async stop() {
        s3.httpServer?.closeAllConnections();
        await s3.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** Embedded real-protocol emulators (in memory unless `dynamodbDataDir`): dynalite (DynamoDB JSON API) and local-aws-sqs (SQS). */
export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const host = options.host ?? '127.0.0.1';
  let dynamo: Server | undefined;
  let sqs: Server | undefined;
  try {
    if (options.dynamodbPort !== false) {
      const path = options.dynamodbDataDir;
      if (path) mkdirSync(path, { recursive: true });
      dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
      await listen(dynamo, options.dynamodbPort, host);
    }
    if (options.sqsPort !== false) {
      const server = await createSqsServer({
        port: options.sqsPort,
        hostname: host,
        emulateQueueCreationLifecycle: false,
        emulateLazyQueues: false,
      });
      if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
      sqs = server;
    }
  } catch (error) {
    await Promise.all([dynamo && close(dynamo), sqs && close(sqs)]);
    throw error;
  }
  const endpoint = (server: Server | undefined) =>
    server ? `http://${host}:${(server.address() as AddressInfo).port}` : '';
  return {
    dynamodbEndpoint: endpoint(dynamo),
    sqsEndpoint: endpoint(sqs),
    async stop() {
      await Promise.all([dynamo && close(dynamo), sqs && close(sqs)]);
    },
  };
}
