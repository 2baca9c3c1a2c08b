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
  /** 0 picks a free port (tests). */
  readonly dynamodbPort: number;
  readonly sqsPort: number;
  readonly host?: string;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Embedded, in-memory, real-protocol emulators: dynalite (DynamoDB JSON API) and local-aws-sqs (SQS). */
export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const host = options.host ?? '127.0.0.1';
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await listen(dynamo, options.dynamodbPort, host);
  let sqs: Server;
  try {
    sqs = await createSqsServer({
      port: options.sqsPort,
      hostname: host,
      emulateQueueCreationLifecycle: false,
      emulateLazyQueues: false,
    });
  } catch (error) {
    await close(dynamo);
    throw error;
  }
  if (!sqs.listening) await new Promise((resolve) => sqs.once('listening', resolve));
  const sqsPort = (sqs.address() as AddressInfo).port;
  return {
    dynamodbEndpoint: `http://${host}:${dynamoPort}`,
    sqsEndpoint: `http://${host}:${sqsPort}`,
    async stop() {
      await Promise.all([close(dynamo), close(sqs)]);
    },
  };
}
