import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { AsyncLocalDeadline } from '../adapters/async-local-deadline.js';
import { createAwsClients } from '../adapters/aws/aws-clients.js';
import { createS3Client } from '../adapters/aws/s3-client.js';
import { createPowertoolsLogger } from '../adapters/observability/powertools-observability.js';
import type { Clock, Dependencies, Logger, Metrics } from '../app/ports.js';
import { createDependencies, systemClock } from '../compose/create-dependencies.js';
import { type Config, loadConfig } from '../config.js';
import { createHandler, type WebhookHandler } from '../http/create-handler.js';
import type { OutcomeObserver } from '../http/observed-outcome.js';
import { seedDemoData } from '../kit/demo-data.js';
import { type QueueKey, SES } from '../resources.js';
import { listen } from './emulators.js';
import { FileSecretSource, reloadingSecrets } from './file-secret-source.js';
import { type GatewayExchange, gatewayServer, type LocalRoute, serveGateway } from './gateway.js';
import { InMemoryMetrics } from './in-memory-metrics.js';
import { localConfigOverrides } from './local-config.js';
import { asPortInUse, assertPortsFree, type LocalPortKey, localPortsOf } from './local-ports.js';
import { startLocalServices } from './local-services.js';
import { apiKeysOf, MailgunStorage } from './mailgun-storage.js';
import { Outbox } from './outbox.js';
import { provisionQueues, provisionTables } from './provision.js';
import { provisionBucket } from './provision-bucket.js';
import { SecretsFile } from './secrets-file.js';
import type { LocalSes } from './ses/start-local-ses.js';
import type { LocalGraphApi } from './start-graph-api.js';
import { accountsOf, TwilioMediaStandIn } from './twilio-media-stand-in.js';

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
  /** Which setting chose each port (`LOCAL_SQS_PORT`, `LOCAL_BASE_PORT+2`…), named when a port is taken. */
  readonly portSettings?: Readonly<Partial<Record<LocalPortKey, string>>>;
  /** LOCAL_DATA_DIR: the embedded DynamoDB keeps its data in `<dataDir>/dynamodb` across restarts. */
  readonly dataDir?: string;
  readonly seedDemo?: boolean;
  readonly queueDelaySeconds?: number;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly monthlyQuota: number;
  readonly webhookBaseUrl?: string;
  /** Default: `CORS.defaultAllowOrigin` (through Config). */
  readonly corsAllowOrigin?: string;
  /**
   * SNS_URL_PATTERN, SES_TOPIC_ARNS, SES_INBOUND_BUCKET when set: a harness acting as SNS (its own certificate URL,
   * topic, bucket) instead of the local stand-ins, which are only the defaults. The inbound bucket is created.
   */
  readonly sesInbound?: {
    readonly snsUrlPattern?: string;
    readonly topicArns?: readonly string[];
    readonly inboundBucket?: string;
  };
  /** Per-webhook outbound budget (WEBHOOK_DEADLINE_MS); tests shorten it. */
  readonly webhookDeadlineMs?: number;
  /** Per-attempt AWS call timeout (tests shorten it to observe fault windows quickly). */
  readonly awsCallTimeoutMs?: number;
  /** Outbound providers; default: the embedded outbox at `<gateway>/_local/twilio` and `/_local/mailgun`. */
  readonly twilioApiBaseUrl?: string;
  readonly mailgunApiBaseUrl?: string;
  /** Meta's Graph API; default: the embedded stand-in (its own port). */
  readonly metaGraphApiBaseUrl?: string;
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
  /** The stack's S3 client (attachments bucket, SES inbound bucket); closed by `stop()`. */
  readonly s3: S3Client;
  /** The local SNS server (certificate, `/sign`, subscription confirmations) and the SESv2 emulator. */
  readonly ses: LocalSes;
  readonly queueUrls: Readonly<Record<QueueKey, string>>;
  readonly config: Config;
  readonly deps: Dependencies;
  readonly handler: WebhookHandler;
  readonly outbox: Outbox;
  /** Meta's Graph API stand-in: `standIn.putMedia` keeps media a test or the CLI then names in a webhook. */
  readonly graph: LocalGraphApi;
  /** Twilio media stand-in under the outbox's Twilio base URL: `put` returns a `MediaUrlN`. */
  readonly twilioMedia: TwilioMediaStandIn;
  readonly metrics: Metrics;
  /** The secrets the handler verifies with (LOCAL_SECRETS_FILE or the demo file), re-read when it changes. */
  readonly secrets: SecretsFile;
  stop(): Promise<void>;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
/** Creating tables and queues is not a webhook: the emulators may take seconds to answer the first calls. */
const PROVISION_CALL_TIMEOUT_MS = 10_000;

/** Tables and queues (created if missing) with clients of their own; returns the queue URLs for the Config. */
async function provision(endpoints: Config['endpoints'], queueDelaySeconds: number | undefined) {
  const provisioning = createAwsClients(
    { endpoints, awsCallTimeoutMs: PROVISION_CALL_TIMEOUT_MS },
    { region: 'us-east-1', credentials: LOCAL_CREDENTIALS },
  );
  try {
    await provisionTables(provisioning.dynamo);
    return await provisionQueues(provisioning.sqs, queueDelaySeconds);
  } finally {
    provisioning.dynamo.destroy();
    provisioning.sqs.destroy();
  }
}

/** The whole pipeline on one machine: emulators, tables and queues, demo data, the gateway and the real handler. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? createPowertoolsLogger();
  // A missing or malformed file stops the start here, naming the file, instead of a 503 on every webhook.
  const secrets = new SecretsFile(options.secretsFile ?? DEMO_SECRETS_FILE, (message) =>
    logger.error(message),
  );
  const ports = localPortsOf(options);
  await assertPortsFree(ports, host);
  const services = await startLocalServices(options, host).catch((error: unknown) => {
    throw asPortInUse(error, ports) ?? error;
  });
  const { dynamodbEndpoint, sqsEndpoint, s3Endpoint, dynamodbDataDir, ses } = services;
  const gateway = gatewayServer();
  try {
    // Listen first: the handler's config needs the gateway's port (the outbox is served there).
    const gatewayUrl = `http://${host}:${await listen(gateway, options.port, host)}`;
    const endpoints = { dynamodb: dynamodbEndpoint, sqs: sqsEndpoint, s3: s3Endpoint };
    const queueUrls = await provision(endpoints, options.queueDelaySeconds);
    // The one Config: defaults (resources.ts, config.ts) with the local stack's typed overrides on top.
    const found = {
      gatewayUrl,
      endpoints,
      queueUrls,
      ses: ses.config,
      metaGraphApiBaseUrl: services.graph.baseUrl,
    };
    const config = loadConfig({}, localConfigOverrides(options, found));
    // One S3 client: it creates the buckets, then serves the handler, the SES raw-email reads and the inspector.
    // One deadline object for the webhooks' clients and adapters (each concurrent webhook sees its own signal).
    const deadline = new AsyncLocalDeadline();
    const s3 = createS3Client(config, { region: 'us-east-1', credentials: LOCAL_CREDENTIALS, deadline });
    await provisionBucket(s3, config.attachmentsBucket)
      .then(() => provisionBucket(s3, config.ses.inboundBucket ?? SES.localInboundBucket))
      .catch((error: unknown) => {
        s3.destroy();
        throw error;
      });
    const clients = createAwsClients(config, {
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      deadline,
    });
    if (options.seedDemo ?? true) await seedDemoData(clients.dynamo, config);
    const metrics = options.metrics ?? new InMemoryMetrics();
    const secretSource = new FileSecretSource(secrets);
    const clock = options.clock ?? systemClock;
    const created = createDependencies(config, {
      clients,
      s3,
      deadline,
      secretSource,
      logger,
      metrics,
      ...(options.clock ? { clock: options.clock } : {}),
      ses: { clientOptions: { region: 'us-east-1', credentials: LOCAL_CREDENTIALS } },
    });
    const deps = {
      ...created,
      secrets: reloadingSecrets(secrets, secretSource, clock, config.secretCacheTtlMs),
    };
    const handler = createHandler(deps, {
      webhookBaseUrl: config.webhookBaseUrl,
      corsAllowOrigin: config.corsAllowOrigin,
      deadlineMs: config.webhookDeadlineMs,
      ...(options.observe ? { observe: options.observe } : {}),
    });
    const twilioMedia = new TwilioMediaStandIn(
      () => `${gatewayUrl}/_local/twilio`,
      accountsOf(options.secretsFile ?? DEMO_SECRETS_FILE),
    );
    const graphSent = services.graph.standIn.sent;
    const outbox = new Outbox(
      new MailgunStorage(() => `${gatewayUrl}/_local/mailgun`, apiKeysOf(secrets)),
      ses.emulator,
      { twilioMedia, meta: { sent: graphSent, clear: () => graphSent.splice(0) } },
    );
    const stack: LocalStack = {
      gatewayUrl,
      dynamodbEndpoint,
      sqsEndpoint,
      dynamodbDataDir,
      s3Endpoint,
      s3,
      ses,
      queueUrls,
      config,
      deps,
      handler,
      outbox,
      graph: services.graph,
      twilioMedia,
      metrics,
      secrets,
      async stop() {
        outbox.releaseHanging();
        await new Promise<void>((resolve) => {
          gateway.closeAllConnections();
          gateway.close(() => resolve());
        });
        clients.dynamo.destroy();
        clients.sqs.destroy();
        s3.destroy();
        await services.stop();
      },
    };
    serveGateway(gateway, {
      handler,
      throttleRateLimit: options.throttleRateLimit,
      throttleBurstLimit: options.throttleBurstLimit,
      corsAllowOrigin: config.corsAllowOrigin,
      outbox,
      ...(options.localRoutes ? { localRoutes: options.localRoutes(stack) } : {}),
      ...(options.onExchange ? { onExchange: options.onExchange } : {}),
      hosts: {
        boundHost: host,
        ...(config.webhookBaseUrl ? { webhookBaseUrl: config.webhookBaseUrl } : {}),
      },
    });
    return stack;
  } catch (error) {
    gateway.close();
    await services.stop();
    throw asPortInUse(error, ports) ?? error;
  }
}
