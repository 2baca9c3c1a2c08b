import type { S3Client } from '@aws-sdk/client-s3';
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
  SecretSource,
} from '../app/ports.js';
import type { Config } from '../config.js';
import { TABLES } from '../resources.js';
import type { AwsClients } from './aws/aws-clients.js';
import { DynamoDbConversations } from './aws/dynamodb-conversations.js';
import { DynamoDbChannelRegistry } from './aws/dynamodb-registry.js';
import { DynamoDbTtlClaims } from './aws/dynamodb-ttl-claims.js';
import { DynamoDbUsageCounter } from './aws/dynamodb-usage-counter.js';
import { S3AttachmentStore } from './aws/s3-attachment-store.js';
import { SqsMessageQueue, type TraceHeaderSource } from './aws/sqs-message-queue.js';
import { HttpMailgunStorage } from './outbound/http-mailgun-storage.js';
import { HttpOutboundSender } from './outbound/http-outbound-sender.js';
import { ProviderOutboundSender } from './outbound/provider-outbound-sender.js';
import { createSesDependencies } from './ses/create-ses-dependencies.js';

export interface Runtime {
  readonly clients: AwsClients;
  readonly secretSource: SecretSource;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock?: Clock;
  readonly outbound?: OutboundSender;
  /** The attachments client (`createS3Client`): kept apart from `clients` so only webhook runtimes load client-s3. */
  readonly s3: S3Client;
  /** X-Ray header to forward on queued messages (Lambda only). */
  readonly traceHeader?: TraceHeaderSource;
  /** Amazon SES: the S3 reader of SES_INBOUND_BUCKET; absent: every SNS delivery is refused (403). */
  readonly ses?: {
    readonly rawEmails: RawEmailSource;
    readonly clientOptions?: Parameters<typeof createSesDependencies>[2];
  };
}

export const systemClock: Clock = { now: () => new Date() };

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
  const attachments = new S3AttachmentStore(runtime.s3, { bucket: config.attachmentsBucket });
  const ses =
    runtime.ses &&
    createSesDependencies(
      config,
      { rawEmails: runtime.ses.rawEmails, clock, logger: runtime.logger },
      runtime.ses.clientOptions,
    );
  const http =
    runtime.outbound ??
    new HttpOutboundSender({
      twilioApiBaseUrl: config.twilioApiBaseUrl,
      mailgunApiBaseUrl: config.mailgunApiBaseUrl,
      mailgunEuApiBaseUrl: config.mailgunEuApiBaseUrl,
    });
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
    outbound: new ProviderOutboundSender(http, ses?.sender),
    clock,
    logger: runtime.logger,
    metrics: runtime.metrics,
    ...(config.monthlyQuota > 0 ? { quota } : {}),
    ...(ses ? { ses: { inbound: ses.inbound } } : {}),
  };
}
