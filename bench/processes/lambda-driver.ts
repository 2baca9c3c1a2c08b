/**
 * Child process: imports the production Lambda bundle (the file CDK deploys) with its environment pointing at the
 * emulators, and calls its `handler` with REST v1 events, exactly as API Gateway would. Used to count AWS calls
 * per webhook (through counting proxies) and to watch memory over many webhooks.
 */
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DEMO } from '../../src/kit/demo-data.js';
import { buildRestEvent } from '../../src/kit/rest-event-builder.js';
import { ENV, QUEUE_URL_ENV, type QueueKey } from '../../src/resources.js';
import { AwsProxy } from '../../test/helpers/aws-proxy.js';
import { childArgs, serveChild } from '../lib/child.js';
import { lambdaEnvironment } from '../lib/lambda-env.js';
import { benchSender, signedWebhook } from '../lib/whatsapp.js';
import type { EmulatorEndpoints } from './emulators.js';

export interface DriverArgs {
  readonly bundle: string;
  readonly endpoints: EmulatorEndpoints;
  /** Route every AWS call through a counting proxy (figure 4), or go direct (figure 5). */
  readonly count: boolean;
  readonly senderOffset: number;
  readonly senders: number;
}

// Production URL shape: a custom domain, so the signature covers https://hooks.example.com/whatsapp.
const BASE_URL = 'https://hooks.example.com';

const args = childArgs<DriverArgs>();
const proxies = args.count
  ? {
      dynamodb: new AwsProxy(args.endpoints.dynamodb),
      sqs: new AwsProxy(args.endpoints.sqs),
      secretsManager: new AwsProxy(args.endpoints.secretsManager),
    }
  : undefined;
if (proxies) await Promise.all(Object.values(proxies).map((proxy) => proxy.start()));
const endpoint = (name: 'dynamodb' | 'sqs' | 'secretsManager') =>
  proxies ? proxies[name].url : args.endpoints[name];

Object.assign(
  process.env,
  lambdaEnvironment({
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    [ENV.dynamoDbEndpoint]: endpoint('dynamodb'),
    [ENV.sqsEndpoint]: endpoint('sqs'),
    // The SDK's service-specific endpoint variable: Secrets Manager is the one client config does not set.
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint('secretsManager'),
    [ENV.webhookBaseUrl]: BASE_URL,
    ...Object.fromEntries(
      (Object.keys(args.endpoints.queueUrls) as QueueKey[]).map((key) => [
        QUEUE_URL_ENV[key],
        args.endpoints.queueUrls[key],
      ]),
    ),
  }),
);
const lambda = (await import(pathToFileURL(args.bundle).href)) as {
  handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
};

let next = 0;
function event(forged: boolean): APIGatewayProxyEvent {
  const sender = benchSender(args.senderOffset + (next++ % args.senders));
  const webhook = signedWebhook(
    `${BASE_URL}/whatsapp`,
    { sender },
    forged ? 'not-the-auth-token' : DEMO.authToken,
  );
  return buildRestEvent({
    method: 'POST',
    path: '/whatsapp',
    headers: [['Host', 'hooks.example.com'], ['X-Forwarded-Proto', 'https'], ...webhook.headers],
    body: webhook.body,
    stage: 'prod',
  });
}

/** Sends `count` webhooks one after another (every answer must be the expected status); mean duration, ms. */
async function send(input: unknown): Promise<{ meanMs: number }> {
  const { count, forged } = input as { count: number; forged: boolean };
  const expected = forged ? 403 : 200;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const result = await lambda.handler(event(forged));
    if (result.statusCode !== expected) throw new Error(`expected ${expected}, got ${result.statusCode}`);
  }
  return { meanMs: (performance.now() - started) / count };
}

// What the handler writes to stdout — JSON logs and EMF metrics, i.e. CloudWatch Logs ingestion — counted, then
// discarded like everything else this process prints.
let stdoutBytes = 0;
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  stdoutBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
  return (writeStdout as (...all: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;

/** AWS operations seen by the proxies since the previous call, by service and operation, and stdout bytes. */
function calls(): { operations: Record<string, number>; stdoutBytes: number } {
  const operations: Record<string, number> = {};
  for (const [service, proxy] of Object.entries(proxies ?? {})) {
    for (const operation of proxy.calls) {
      const key = `${service}:${operation}`;
      operations[key] = (operations[key] ?? 0) + 1;
    }
    proxy.reset();
  }
  const written = stdoutBytes;
  stdoutBytes = 0;
  return { operations, stdoutBytes: written };
}

/**
 * RSS and live heap after full GCs and a pause: V8 unmaps the pages a GC freed on a background thread, so RSS read
 * right after gc() still counts them (the first reading after warm-up was 30-50 MB high, measured).
 */
async function memory(): Promise<{ rss: number; heapUsed: number }> {
  for (let pass = 0; pass < 2; pass++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

serveChild({ gc: typeof globalThis.gc === 'function' }, { send, calls, memory }, async () => {
  await Promise.all(Object.values(proxies ?? {}).map((proxy) => proxy.stop()));
});
