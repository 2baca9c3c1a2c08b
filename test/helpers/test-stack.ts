import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Emulators, startEmulators } from '../../src/local/emulators.js';
import { createGateway } from '../../src/local/gateway.js';
import { InMemoryMetrics } from '../../src/local/in-memory-metrics.js';
import { withInspector } from '../../src/local/inspector/with-inspector.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../src/local/local-stack.js';
import type { QueueKey } from '../../src/resources.js';
import { AwsProxy } from './aws-proxy.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { RecordingLogger } from './fakes/recording-logger.js';
import { SteppableClock } from './fakes/steppable-clock.js';
import { drainQueue, sqsClient } from './queues.js';

export interface TestStack {
  readonly stack: LocalStack;
  readonly emulators: Emulators;
  readonly dynamoProxy: AwsProxy;
  readonly sqsProxy: AwsProxy;
  readonly logger: RecordingLogger;
  readonly metrics: InMemoryMetrics;
  readonly clock: SteppableClock;
  readonly sqs: SQSClient;
  readonly doc: DynamoDBDocumentClient;
  url(path: string): string;
  drain(queue: QueueKey): Promise<unknown[]>;
  stop(): Promise<void>;
}

/**
 * The real local stack on free ports (DynamoDB: dynalite, or AWS's DynamoDB Local with
 * `TEST_DYNAMODB=dynamodb-local`), with counting/fault-injecting proxies between the handler and the emulators.
 * Throttle and quota are off unless a test turns them on.
 */
export async function startTestStack(overrides: Partial<LocalStackOptions> = {}): Promise<TestStack> {
  const ddbLocal = process.env.TEST_DYNAMODB === 'dynamodb-local' ? await startDynamoDbLocal() : undefined;
  const embedded = await startEmulators({ dynamodbPort: ddbLocal ? false : 0, sqsPort: 0 });
  const emulators: Emulators = {
    dynamodbEndpoint: ddbLocal?.endpoint ?? embedded.dynamodbEndpoint,
    sqsEndpoint: embedded.sqsEndpoint,
    async stop() {
      await embedded.stop();
      await ddbLocal?.stop();
    },
  };
  const dynamoProxy = new AwsProxy(emulators.dynamodbEndpoint);
  const sqsProxy = new AwsProxy(emulators.sqsEndpoint);
  await Promise.all([dynamoProxy.start(), sqsProxy.start()]);
  const logger = new RecordingLogger();
  const metrics = new InMemoryMetrics();
  const clock = new SteppableClock('wall-clock');
  const stack = await startLocalStack({
    port: 0,
    dynamodbPort: 0,
    sqsPort: 0,
    dynamodbEndpoint: dynamoProxy.url,
    sqsEndpoint: sqsProxy.url,
    throttleRateLimit: 0,
    throttleBurstLimit: 0,
    monthlyQuota: 0,
    queueDelaySeconds: 0,
    logger,
    metrics,
    clock,
    ...overrides,
  });
  const sqs = sqsClient(emulators.sqsEndpoint);
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: emulators.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
  );
  dynamoProxy.reset();
  sqsProxy.reset();
  return {
    stack,
    emulators,
    dynamoProxy,
    sqsProxy,
    logger,
    metrics,
    clock,
    sqs,
    doc,
    url: (path) => `${stack.gatewayUrl}${path}`,
    drain: (queue) => drainQueue(sqs, stack.queueUrls[queue]),
    async stop() {
      await stack.stop();
      await Promise.all([dynamoProxy.stop(), sqsProxy.stop()]);
      sqs.destroy();
      doc.destroy();
      await emulators.stop();
    },
  };
}

/**
 * One stack per test file: started before all tests, stopped after them; before each test both proxies forget their
 * counts and pass everything through again. The returned object stands for the stack once `beforeAll` has run.
 * `overrides` may be a function, called in `beforeAll`, for values an earlier hook makes (an outbox server's URL).
 */
export function useTestStack(
  overrides: Partial<LocalStackOptions> | (() => Partial<LocalStackOptions>) = {},
): TestStack {
  let stack: TestStack | undefined;
  beforeAll(async () => {
    stack = await startTestStack(typeof overrides === 'function' ? overrides() : overrides);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(() => {
    for (const proxy of stack ? [stack.dynamoProxy, stack.sqsProxy] : []) {
      proxy.reset();
      proxy.mode = { kind: 'pass' };
      proxy.faultFilter = undefined;
    }
  });
  return new Proxy({} as TestStack, {
    get(_, key) {
      if (!stack) throw new Error('the test stack starts in beforeAll');
      return Reflect.get(stack, key);
    },
  });
}

/** A local stack on free ports with throttle and quota off, logs kept in memory (plus any overrides). */
export function freePortStackOptions(overrides: Partial<LocalStackOptions> = {}): LocalStackOptions {
  return {
    port: 0,
    dynamodbPort: 0,
    sqsPort: 0,
    throttleRateLimit: 0,
    throttleBurstLimit: 0,
    monthlyQuota: 0,
    logger: new RecordingLogger(),
    ...overrides,
  };
}

/**
 * The local stack on free ports with the inspector wired exactly as `npm start` wires it (src/local/main.ts);
 * throttle and quota off, logs kept in memory.
 */
export function startInspectedStack(): Promise<LocalStack> {
  return startLocalStack(withInspector(freePortStackOptions({ queueDelaySeconds: 0 })));
}

export interface SecondStage {
  url(path: string): string;
  stop(): Promise<void>;
}

/**
 * Another API Gateway stage in front of the same handler, tables and queues, with its own throttle: where a Twilio
 * Fallback URL can point so that it neither shares the primary's throttle budget nor bypasses deduplication. Also a
 * fresh throttled stage for each load scenario (a new token bucket, full burst).
 */
export async function startStage(
  t: TestStack,
  limits: { readonly rate: number; readonly burst: number } = { rate: 0, burst: 0 },
): Promise<SecondStage> {
  const server = createGateway({
    handler: t.stack.handler,
    throttleRateLimit: limits.rate,
    throttleBurstLimit: limits.burst,
    corsAllowOrigin: '*',
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path) => `${base}${path}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * One inspected stack per test file (`startInspectedStack`) with an SQS client on its emulator: started in
 * `beforeAll`, stopped in `afterAll`. The returned object stands for both once `beforeAll` has run.
 */
export function useInspectedStack(): { readonly stack: LocalStack; readonly sqs: SQSClient } {
  let started: { stack: LocalStack; sqs: SQSClient } | undefined;
  beforeAll(async () => {
    const stack = await startInspectedStack();
    started = { stack, sqs: sqsClient(stack.sqsEndpoint) };
  });
  afterAll(async () => {
    started?.sqs.destroy();
    await started?.stack.stop();
  });
  const get = () => {
    if (!started) throw new Error('the inspected stack starts in beforeAll');
    return started;
  };
  return {
    get stack() {
      return get().stack;
    },
    get sqs() {
      return get().sqs;
    },
  };
}
