import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** Embedded, in-memory, real-protocol emulators: dynalite (DynamoDB JSON API) and local-aws-sqs (SQS). */
export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const host = options.host ?? '127.0.0.1';
  let dynamo: Server | undefined;
  let sqs: Server | undefined;
  try {
    if (options.dynamodbPort !== false) {
      dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
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
