import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsClients } from '../adapters/aws/aws-clients.js';
import { DynamoDbConversations } from '../adapters/aws/dynamodb-conversations.js';
import { DynamoDbChannelRegistry } from '../adapters/aws/dynamodb-registry.js';
import { DynamoDbTtlClaims } from '../adapters/aws/dynamodb-ttl-claims.js';
import { DynamoDbUsageCounter } from '../adapters/aws/dynamodb-usage-counter.js';
import { S3AttachmentStore } from '../adapters/aws/s3-attachment-store.js';
import { SqsMessageQueue, type TraceHeaderSource } from '../adapters/aws/sqs-message-queue.js';
import { HttpGraphApi } from '../adapters/outbound/http-graph-api.js';
import { HttpMailgunStorage } from '../adapters/outbound/http-mailgun-storage.js';
import { HttpOutboundSender } from '../adapters/outbound/http-outbound-sender.js';
import { HttpTwilioMedia } from '../adapters/outbound/http-twilio-media.js';
import { MetaOutboundSender } from '../adapters/outbound/meta-outbound-sender.js';
import { ProviderOutboundSender } from '../adapters/outbound/provider-outbound-sender.js';
import { AiBudget } from '../app/ai-budget.js';
import { CachedChannelRegistry } from '../app/cached-registry.js';
import { CachedSecretStore } from '../app/cached-secret-store.js';
import type {
  Clock,
  Dependencies,
  Logger,
  Metrics,
  OutboundSender,
  RawEmailSource,
  RequestDeadline,
  SecretSource,
} from '../app/ports.js';
import type { Config } from '../config.js';
import { TABLES } from '../resources.js';
import type { SesClientOptions } from './create-ses-dependencies.js';

export interface Runtime {
  readonly clients: AwsClients;
  readonly secretSource: SecretSource;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock?: Clock;
  /** The webhooks' deadline, the same object the AWS clients were given (`createAwsClients`, `createS3Client`). */
  readonly deadline: RequestDeadline;
  readonly outbound?: OutboundSender;
  /** The attachments client (`createS3Client`): kept apart from `clients` so only webhook runtimes load client-s3. */
  readonly s3: S3Client;
  /** X-Ray header to forward on queued messages (Lambda only). */
  readonly traceHeader?: TraceHeaderSource;
  /**
   * Amazon SES: absent, every SNS delivery is refused (403). Its modules (SESv2 client, SNS, the MIME parser) load
   * at the first SES request or SES fallback, never on a WhatsApp cold start. `rawEmails` defaults to the S3
   * reader of SES_INBOUND_BUCKET on `s3`.
   */
  readonly ses?: {
    readonly rawEmails?: RawEmailSource;
    readonly clientOptions?: SesClientOptions;
  };
}

export const systemClock: Clock = { now: () => new Date() };

/** The first call's promise, shared; a failed load is forgotten so the next call tries again. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    if (!loaded) {
      loaded = load();
      loaded.catch(() => {
        loaded = undefined;
      });
    }
    return loaded;
  };
}

/** The wiring both composition roots share (Lambda: `src/http/lambda-handler.ts`; local: `src/local/`). */
export function createDependencies(config: Config, runtime: Runtime): Dependencies {
  const clock = runtime.clock ?? systemClock;
  const { dynamo, sqs } = runtime.clients;
  const quota = new AiBudget(
    config.monthlyQuota,
    new DynamoDbUsageCounter(dynamo, {
      dependency: 'quota-counter',
      tableName: config.tables.idempotency,
      keyAttribute: TABLES.idempotency.partitionKey.name,
      ttlAttribute: TABLES.idempotency.ttlAttribute,
      keyPrefix: `quota#${config.stage}#`,
    }),
    runtime.logger,
  );
  const conversations = new DynamoDbConversations(dynamo, config.tables.conversations);
  const { deadline } = runtime;
  const attachments = new S3AttachmentStore(runtime.s3, { bucket: config.attachmentsBucket, deadline });
  const sesRuntime = runtime.ses;
  const ses =
    sesRuntime &&
    once(() =>
      import('./create-ses-dependencies.js').then((m) =>
        m.createSesDependencies(
          config,
          { rawEmails: sesRuntime.rawEmails, s3: runtime.s3, clock, logger: runtime.logger, deadline },
          sesRuntime.clientOptions,
        ),
      ),
    );
  const http =
    runtime.outbound ??
    new HttpOutboundSender({
      twilioApiBaseUrl: config.twilioApiBaseUrl,
      mailgunApiBaseUrl: config.mailgunApiBaseUrl,
      mailgunEuApiBaseUrl: config.mailgunEuApiBaseUrl,
      deadline,
    });
  const graphApi = new HttpGraphApi({ graphApiBaseUrl: config.metaGraphApiBaseUrl, deadline });
  return {
    registry: new CachedChannelRegistry(
      new DynamoDbChannelRegistry(dynamo, config.tables.companyChannels),
      clock,
      config.registryCacheTtlMs,
    ),
    secrets: new CachedSecretStore(runtime.secretSource, clock, config.secretCacheTtlMs),
    conversations,
    conversationsById: conversations,
    attachments,
    mailgunStorage: new HttpMailgunStorage({
      mailgunApiBaseUrl: config.mailgunApiBaseUrl,
      mailgunEuApiBaseUrl: config.mailgunEuApiBaseUrl,
      store: attachments,
      deadline,
    }),
    queue: new SqsMessageQueue(sqs, config.queueUrls, runtime.traceHeader),
    ledger: new DynamoDbTtlClaims(dynamo, {
      dependency: 'fallback-ledger',
      tableName: config.tables.fallbackLedger,
      keyAttribute: TABLES.fallbackLedger.partitionKey.name,
      ttlAttribute: TABLES.fallbackLedger.ttlAttribute,
    }),
    replayGuard: new DynamoDbTtlClaims(dynamo, {
      dependency: 'replay-guard',
      tableName: config.tables.idempotency,
      keyAttribute: TABLES.idempotency.partitionKey.name,
      ttlAttribute: TABLES.idempotency.ttlAttribute,
      keyPrefix: 'token#',
    }),
    outbound: new ProviderOutboundSender(
      http,
      ses && (async () => (await ses()).sender),
      new MetaOutboundSender(graphApi),
    ),
    meta: { appCredentialsRef: config.metaAppCredentialsRef, graphApiBaseUrl: config.metaGraphApiBaseUrl },
    graphApi,
    twilioMedia: new HttpTwilioMedia({ twilioApiBaseUrl: config.twilioApiBaseUrl, deadline }),
    deadline,
    clock,
    logger: runtime.logger,
    metrics: runtime.metrics,
    ...(config.monthlyQuota > 0 ? { quota } : {}),
    ...(ses ? { ses } : {}),
  };
}
