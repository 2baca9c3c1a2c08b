/**
 * Child process: one server under test on a free port — the real local stack (gateway emulation + handler), the
 * issue's reference pipeline, or the gateway's AWS protocol with minimal code — against the emulators of
 * processes/emulators.ts. Alone in its process, so the load generator's event loop never delays it.
 */
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createAwsClients } from '../../src/adapters/aws/aws-clients.js';
import { DynamoDbConversations } from '../../src/adapters/aws/dynamodb-conversations.js';
import { SqsMessageQueue } from '../../src/adapters/aws/sqs-message-queue.js';
import { loadConfig } from '../../src/config.js';
import type { WebhookOutcome } from '../../src/http/observed-outcome.js';
import { startLocalStack } from '../../src/local/local-stack.js';
import { ENV, QUEUE_URL_ENV, type QueueKey, TABLES } from '../../src/resources.js';
import { childArgs, serveChild } from '../lib/child.js';
import type { EmulatorEndpoints } from './emulators.js';
import { protocolPipeline } from './protocol-pipeline.js';
import { createPipelineServer, type Pipeline, referencePipeline } from './reference-pipeline.js';

export type ServerMode = 'gateway' | 'reference' | 'protocol';

export interface ServerArgs {
  readonly mode: ServerMode;
  readonly endpoints: EmulatorEndpoints;
}

/** What a server reports after a load run: outcomes prove each request took the path being measured. */
export interface ServerStats {
  readonly accepted: number;
  readonly duplicates: number;
  /** Gateway only: the handler's own duration per request (the gateway's onExchange), ms. */
  readonly handlerMs: number[];
  /** CPU time this process used since the previous report, µs (user + system). */
  readonly cpuMicros: number;
}

const { mode, endpoints } = childArgs<ServerArgs>();
const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
let stats = { accepted: 0, duplicates: 0, handlerMs: [] as number[] };
let cpu = process.cpuUsage();
const take = (): ServerStats => {
  const taken = stats;
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  stats = { accepted: 0, duplicates: 0, handlerMs: [] };
  return { ...taken, cpuMicros: used.user + used.system };
};

if (mode === 'gateway') {
  const count = (_requestId: string, outcome: WebhookOutcome) => {
    if (outcome.verdict === 'queued') stats.accepted++;
    else if (outcome.verdict === 'duplicate') stats.duplicates++;
  };
  const stack = await startLocalStack({
    port: 0,
    dynamodbPort: 0,
    sqsPort: 0,
    dynamodbEndpoint: endpoints.dynamodb,
    sqsEndpoint: endpoints.sqs,
    // Issue 7: throttle and quota off, or the gateway would answer 429 long before it is saturated.
    throttleRateLimit: 0,
    throttleBurstLimit: 0,
    monthlyQuota: 0,
    queueDelaySeconds: 0,
    // The emulator process seeded the demo data already.
    seedDemo: false,
    observe: count,
    onExchange: (exchange) => stats.handlerMs.push(exchange.durationMs),
  });
  serveChild({ url: stack.gatewayUrl }, { take }, () => stack.stop());
} else {
  const { pipeline, destroy } = mode === 'reference' ? minimalReference() : gatewayProtocol();
  const counts = { duplicates: 0 };
  const server = createPipelineServer(pipeline, counts);
  server.on('request', (_req, res) => res.on('finish', () => res.statusCode === 200 && stats.accepted++));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const takePipeline = (): ServerStats => {
    const taken = take();
    const duplicates = counts.duplicates;
    counts.duplicates = 0;
    return { ...taken, accepted: taken.accepted - duplicates, duplicates };
  };
  serveChild({ url }, { take: takePipeline }, async () => {
    server.closeAllConnections();
    server.close();
    destroy();
  });
}

/** Plain SDK clients with their defaults: the least code. */
function minimalReference(): { pipeline: Pipeline; destroy: () => void } {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: endpoints.dynamodb }));
  const sqs = new SQSClient({ ...local, endpoint: endpoints.sqs });
  const pipeline = referencePipeline({
    doc,
    sqs,
    conversationsTable: TABLES.conversations.localName,
    idempotencyTable: TABLES.idempotency.localName,
    queueUrl: endpoints.queueUrls.whatsappReplies,
  });
  return {
    pipeline,
    destroy: () => {
      doc.destroy();
      sqs.destroy();
    },
  };
}

/** The gateway's clients (same timeouts and retries) and adapters: only the code around them differs. */
function gatewayProtocol(): { pipeline: Pipeline; destroy: () => void } {
  const config = loadConfig({
    [ENV.dynamoDbEndpoint]: endpoints.dynamodb,
    [ENV.sqsEndpoint]: endpoints.sqs,
    ...Object.fromEntries(
      (Object.keys(endpoints.queueUrls) as QueueKey[]).map((key) => [
        QUEUE_URL_ENV[key],
        endpoints.queueUrls[key],
      ]),
    ),
  });
  const clients = createAwsClients(config, local);
  const pipeline = protocolPipeline({
    conversations: new DynamoDbConversations(clients.dynamo, config.tables.conversations),
    queue: new SqsMessageQueue(clients.sqs, config.queueUrls),
  });
  return {
    pipeline,
    destroy: () => {
      clients.dynamo.destroy();
      clients.sqs.destroy();
    },
  };
}
