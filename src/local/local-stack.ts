import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAwsClients } from '../adapters/aws/aws-clients.js';
import { createS3Client } from '../adapters/aws/s3-client.js';
import { createDependencies } from '../adapters/create-dependencies.js';
import { createPowertoolsLogger } from '../adapters/observability/powertools-observability.js';
import { S3RawEmailSource } from '../adapters/ses/s3-raw-email-source.js';
import type { Clock, Dependencies, Logger, Metrics } from '../app/ports.js';
import { type Config, loadConfig } from '../config.js';
import { RAW_EMAIL_LIMITS } from '../domain/raw-email.js';
import { createHandler, type WebhookHandler } from '../http/create-handler.js';
import type { OutcomeObserver } from '../http/observed-outcome.js';
import { ENV, QUEUE_URL_ENV, type QueueKey, SES } from '../resources.js';
import { seedDemoData } from './demo-data.js';
import { type Emulators, listen, type S3Emulator, startEmulators, startS3Emulator } from './emulators.js';
import { FileSecretSource } from './file-secret-source.js';
import { createGateway, type GatewayExchange, type LocalRoute } from './gateway.js';
import { InMemoryMetrics } from './in-memory-metrics.js';
import { apiKeysOf, MailgunStorage } from './mailgun-storage.js';
import { Outbox } from './outbox.js';
import { provisionQueues, provisionTables } from './provision.js';
import { provisionBucket } from './provision-bucket.js';
import { type LocalSes, startLocalSes } from './ses/start-local-ses.js';

export const DEMO_SECRETS_FILE = fileURLToPath(new URL('./demo-secrets.json', import.meta.url));

export interface LocalStackOptions {
  /** 0 = any free port (tests). */
  readonly port: number;
  readonly dynamodbPort: number;
  readonly sqsPort: number;
  readonly host?: string;
  /** Use these instead of starting embedded emulators (tables and queues are created if missing). */
  readonly dynamodbEndpoint?: string;
  readonly sqsEndpoint?: string;
  /** Attachments: an existing S3 endpoint (AWS_ENDPOINT_URL_S3), else the embedded emulator on `s3Port`. */
  readonly s3Endpoint?: string;
  readonly s3Port?: number;
  /** SES fallback: an existing SESv2 endpoint (AWS_ENDPOINT_URL_SESV2), else the embedded emulator on `sesPort`. */
  readonly sesv2Endpoint?: string;
  /** LOCAL_SES_PORT; default 0 (a free port). */
  readonly sesPort?: number;
  readonly secretsFile?: string;
  /** LOCAL_DATA_DIR: the embedded DynamoDB keeps its data in `<dataDir>/dynamodb` across restarts. */
  readonly dataDir?: string;
  readonly seedDemo?: boolean;
  readonly queueDelaySeconds?: number;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly monthlyQuota: number;
  readonly webhookBaseUrl?: string;
  readonly corsAllowOrigin?: string;
  /** Per-attempt AWS call timeout (tests shorten it to observe fault windows quickly). */
  /** Per-webhook outbound budget (WEBHOOK_DEADLINE_MS); tests shorten it. */
  readonly webhookDeadlineMs?: number;
  readonly awsCallTimeoutMs?: number;
  /** Outbound providers; default: the embedded outbox at `<gateway>/_local/twilio` and `/_local/mailgun`. */
  readonly twilioApiBaseUrl?: string;
  readonly mailgunApiBaseUrl?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly localRoutes?: (stack: LocalStack) => LocalRoute;
  readonly onExchange?: (exchange: GatewayExchange) => void;
  readonly observe?: OutcomeObserver;
}

export interface LocalStack {
  readonly gatewayUrl: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  /** Where the embedded DynamoDB keeps its data; undefined: in memory (or an external endpoint). */
  readonly dynamodbDataDir: string | undefined;
  readonly s3Endpoint: string;
  /** The local SNS server (certificate, `/sign`, subscription confirmations) and the SESv2 emulator. */
  readonly ses: LocalSes;
  readonly queueUrls: Readonly<Record<QueueKey, string>>;
  readonly config: Config;
  readonly deps: Dependencies;
  readonly handler: WebhookHandler;
  readonly outbox: Outbox;
  readonly metrics: Metrics;
  stop(): Promise<void>;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The whole pipeline on one machine: emulators, tables and queues, demo data, the gateway and the real handler. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const dynamodbDataDir =
    options.dataDir && !options.dynamodbEndpoint ? resolvePath(options.dataDir, 'dynamodb') : undefined;
  // Embedded emulators only for the services without an external endpoint (AWS_ENDPOINT_URL_*).
  const emulators =
    options.dynamodbEndpoint && options.sqsEndpoint
      ? undefined
      : await startEmulators({
          dynamodbPort: options.dynamodbEndpoint ? false : options.dynamodbPort,
          sqsPort: options.sqsEndpoint ? false : options.sqsPort,
          host,
          ...(dynamodbDataDir ? { dynamodbDataDir } : {}),
        });
  const dynamodbEndpoint = options.dynamodbEndpoint ?? (emulators as Emulators).dynamodbEndpoint;
  const sqsEndpoint = options.sqsEndpoint ?? (emulators as Emulators).sqsEndpoint;
  let s3Emulator: S3Emulator | undefined;
  try {
    s3Emulator = options.s3Endpoint ? undefined : await startS3Emulator(options.s3Port ?? 0, host);
  } catch (error) {
    await emulators?.stop();
    throw error;
  }
  const s3Endpoint = options.s3Endpoint ?? (s3Emulator as S3Emulator).endpoint;
  let ses: LocalSes;
  try {
    ses = await startLocalSes({
      sesPort: options.sesPort ?? 0,
      host,
      ...(options.sesv2Endpoint ? { sesv2Endpoint: options.sesv2Endpoint } : {}),
    });
  } catch (error) {
    await emulators?.stop();
    await s3Emulator?.stop();
    throw error;
  }
  let gatewayUrl = '';
  const mailgunStorage = new MailgunStorage(
    () => `${gatewayUrl}/_local/mailgun`,
    apiKeysOf(options.secretsFile ?? DEMO_SECRETS_FILE),
  );
  const outbox = new Outbox(mailgunStorage, ses.emulator);
  // The gateway needs the handler and the handler's config needs the gateway's port: bind first, wire after.
  let handler: WebhookHandler = async () => ({ statusCode: 503, body: '{"message":"starting"}' });
  let stack: LocalStack | undefined;
  const gateway = createGateway({
    handler: (event) => handler(event),
    throttleRateLimit: options.throttleRateLimit,
    throttleBurstLimit: options.throttleBurstLimit,
    corsAllowOrigin: options.corsAllowOrigin ?? '*',
    outbox,
    localRoutes: (req, res, url, body) =>
      stack && options.localRoutes ? options.localRoutes(stack)(req, res, url, body) : Promise.resolve(false),
    ...(options.onExchange ? { onExchange: options.onExchange } : {}),
    hosts: {
      boundHost: host,
      ...(options.webhookBaseUrl ? { webhookBaseUrl: options.webhookBaseUrl } : {}),
    },
  });
  try {
    const port = await listen(gateway, options.port, host);
    gatewayUrl = `http://${host}:${port}`;
    const bootstrapConfig = loadConfig({
      [ENV.dynamoDbEndpoint]: dynamodbEndpoint,
      [ENV.sqsEndpoint]: sqsEndpoint,
      [ENV.s3Endpoint]: s3Endpoint,
      ...Object.fromEntries(Object.values(QUEUE_URL_ENV).map((name) => [name, `${sqsEndpoint}/pending`])),
    });
    const bootstrapClients = createAwsClients(bootstrapConfig, {
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    await provisionTables(bootstrapClients.dynamo);
    const queueUrls = await provisionQueues(bootstrapClients.sqs, options.queueDelaySeconds);
    const s3 = createS3Client(bootstrapConfig, { region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    await provisionBucket(s3, bootstrapConfig.attachmentsBucket)
      .then(() => provisionBucket(s3, SES.localInboundBucket))
      .finally(() => s3.destroy());
    const config = loadConfig({
      ...ses.configEnv,
      [ENV.stage]: 'local',
      [ENV.dynamoDbEndpoint]: dynamodbEndpoint,
      [ENV.sqsEndpoint]: sqsEndpoint,
      [ENV.s3Endpoint]: s3Endpoint,
      [ENV.corsAllowOrigin]: options.corsAllowOrigin ?? '*',
      [ENV.twilioApiBaseUrl]: options.twilioApiBaseUrl ?? `${gatewayUrl}/_local/twilio`,
      [ENV.mailgunApiBaseUrl]: options.mailgunApiBaseUrl ?? `${gatewayUrl}/_local/mailgun`,
      ...(options.webhookBaseUrl ? { [ENV.webhookBaseUrl]: options.webhookBaseUrl } : {}),
      [ENV.monthlyQuota]: String(options.monthlyQuota),
      ...(options.webhookDeadlineMs !== undefined
        ? { [ENV.webhookDeadlineMs]: String(options.webhookDeadlineMs) }
        : {}),
      ...(options.awsCallTimeoutMs !== undefined
        ? { [ENV.awsCallTimeoutMs]: String(options.awsCallTimeoutMs) }
        : {}),
      ...Object.fromEntries(
        (Object.keys(queueUrls) as QueueKey[]).map((key) => [QUEUE_URL_ENV[key], queueUrls[key]]),
      ),
    });
    const clients = createAwsClients(config, { region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    const attachmentsS3 = createS3Client(config, { region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    if (options.seedDemo ?? true) await seedDemoData(clients.dynamo, config);
    const metrics = options.metrics ?? new InMemoryMetrics();
    const deps = createDependencies(config, {
      clients,
      s3: attachmentsS3,
      secretSource: new FileSecretSource(options.secretsFile ?? DEMO_SECRETS_FILE),
      logger: options.logger ?? createPowertoolsLogger(),
      metrics,
      ...(options.clock ? { clock: options.clock } : {}),
      ses: {
        rawEmails: new S3RawEmailSource(attachmentsS3, RAW_EMAIL_LIMITS.maxBytes),
        clientOptions: { region: 'us-east-1', credentials: LOCAL_CREDENTIALS },
      },
    });
    handler = createHandler(deps, {
      webhookBaseUrl: config.webhookBaseUrl,
      corsAllowOrigin: config.corsAllowOrigin,
      deadlineMs: config.webhookDeadlineMs,
      ...(options.observe ? { observe: options.observe } : {}),
    });
    stack = {
      gatewayUrl,
      dynamodbEndpoint,
      sqsEndpoint,
      dynamodbDataDir,
      s3Endpoint,
      ses,
      queueUrls,
      config,
      deps,
      handler,
      outbox,
      metrics,
      async stop() {
        outbox.releaseHanging();
        await new Promise<void>((resolve) => {
          gateway.closeAllConnections();
          gateway.close(() => resolve());
        });
        clients.dynamo.destroy();
        clients.sqs.destroy();
        attachmentsS3.destroy();
        bootstrapClients.dynamo.destroy();
        bootstrapClients.sqs.destroy();
        await emulators?.stop();
        await s3Emulator?.stop();
        await ses.stop();
      },
    };
    return stack;
  } catch (error) {
    gateway.close();
    await emulators?.stop();
    await s3Emulator?.stop();
    await ses.stop();
    throw error;
  }
}
