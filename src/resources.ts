/**
 * THE resource definition: tables, keys, indexes, TTL attributes, queues and their attributes, routes, limits and
 * environment variable names. The CDK stack (`infra/`) and the local stack (`src/local/`) are both built from this
 * module, and `test/infra/parity.test.ts` proves they agree.
 */

import { CHANNEL_TYPES, type ChannelType } from './domain/channel.js';

// The domain owns the channel list; re-exported because every resource below is keyed by it.
export { CHANNEL_TYPES, type ChannelType };

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projection: 'KEYS_ONLY' | 'ALL';
}

export interface TableDefinition {
  /** Logical id in CDK and the local table name. Deployed names are `<localName>-<stage>`. */
  readonly localName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  /** Epoch-seconds TTL attribute; DynamoDB deletes lazily, so readers must also filter on it. */
  readonly ttlAttribute?: string;
  /** Holds business data worth restoring (point-in-time recovery in AWS). */
  readonly holdsBusinessData: boolean;
}

export const TABLES = {
  conversations: {
    localName: 'Conversations',
    partitionKey: { name: 'primary_channel', type: 'S' },
    sortKey: { name: 'conversation_id', type: 'S' },
    globalSecondaryIndexes: [
      {
        indexName: 'conversation_status-index',
        partitionKey: { name: 'conversation_status', type: 'S' },
        sortKey: { name: 'updated_at', type: 'S' },
        // Keys only: the gateway's receipt writes then never touch the index (ALL would bill every conversation
        // write twice, and grow with the receipts). Consumers listing by status read the items they need.
        projection: 'KEYS_ONLY',
      },
      {
        // Finds a conversation by the id a plus-addressed email names (reply+<conversation_id>@…) when the sender
        // is not its primary channel. Keys only: the base-table key is all the look-up needs, and receipt writes
        // never touch the index (conversation_id never changes), so it costs one index write per conversation.
        indexName: 'conversation_id-index',
        partitionKey: { name: 'conversation_id', type: 'S' },
        projection: 'KEYS_ONLY',
      },
    ],
    holdsBusinessData: true,
  },
  companyChannels: {
    localName: 'CompanyChannels',
    partitionKey: { name: 'channel_address', type: 'S' },
    globalSecondaryIndexes: [],
    holdsBusinessData: true,
  },
  fallbackLedger: {
    localName: 'FallbackLedger',
    partitionKey: { name: 'ledger_key', type: 'S' },
    globalSecondaryIndexes: [],
    ttlAttribute: 'expires_at',
    holdsBusinessData: false,
  },
  /** Replay guard for provider tokens (Mailgun `token`) and other short-lived claims. */
  idempotency: {
    localName: 'WebhookIdempotency',
    partitionKey: { name: 'id', type: 'S' },
    globalSecondaryIndexes: [],
    ttlAttribute: 'expiration',
    holdsBusinessData: false,
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof TABLES;

/** Deployed table name: `<localName>-<stage>` (the local stack uses `localName` alone). */
export function deployedTableName(key: TableKey, stage: string): string {
  return `${TABLES[key].localName}-${stage}`;
}

export interface QueueDefinition {
  readonly name: string;
  readonly deadLetterQueueName: string;
}

/** Seed §5.4: standard queues, 30 s delay, 2 min visibility, 14 days retention, a dead-letter queue each. */
export const QUEUE_ATTRIBUTES = {
  delaySeconds: 30,
  visibilityTimeoutSeconds: 120,
  messageRetentionSeconds: 1_209_600,
  /** Five receives before a poison message is parked: enough for transient consumer failures. */
  maxReceiveCount: 5,
  deadLetterRetentionSeconds: 1_209_600,
} as const;

export const QUEUES = {
  whatsappReplies: { name: 'WhatsAppRepliesQueue', deadLetterQueueName: 'WhatsAppRepliesQueue-DLQ' },
  smsReplies: { name: 'SmsRepliesQueue', deadLetterQueueName: 'SmsRepliesQueue-DLQ' },
  emailReplies: { name: 'EmailRepliesQueue', deadLetterQueueName: 'EmailRepliesQueue-DLQ' },
  handoff: { name: 'HandoffQueue', deadLetterQueueName: 'HandoffQueue-DLQ' },
} as const satisfies Record<string, QueueDefinition>;

export type QueueKey = keyof typeof QUEUES;

export const REPLIES_QUEUE_BY_CHANNEL: Record<ChannelType, QueueKey> = {
  whatsapp: 'whatsappReplies',
  sms: 'smsReplies',
  email: 'emailReplies',
};

export interface RouteDefinition {
  readonly path: `/${string}`;
  readonly channel: ChannelType;
  /** Method request headers API Gateway's validator requires on POST before the Lambda runs. */
  readonly requiredHeaders: readonly string[];
  readonly maxBodyBytes: number;
  /** Methods proxied to the Lambda besides `OPTIONS` (answered by the gateway): `POST` unless said otherwise. */
  readonly methods?: readonly ('GET' | 'POST')[];
}

/** The methods a route proxies to the function. */
export function routeMethods(route: RouteDefinition): readonly ('GET' | 'POST')[] {
  return route.methods ?? ['POST'];
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    path: '/whatsapp',
    channel: 'whatsapp',
    requiredHeaders: ['X-Twilio-Signature'],
    maxBodyBytes: 64 * 1024,
  },
  { path: '/sms', channel: 'sms', requiredHeaders: ['X-Twilio-Signature'], maxBodyBytes: 64 * 1024 },
  // Mailgun posts whole messages; 5 MB keeps us under Lambda's 6 MB synchronous payload limit.
  { path: '/email', channel: 'email', requiredHeaders: [], maxBodyBytes: 5 * 1024 * 1024 },
  // Meta's WhatsApp Cloud API: GET is its subscription check (verify token), POST its signed batches (≤ 3 MB).
  {
    path: '/whatsapp/meta',
    channel: 'whatsapp',
    methods: ['GET', 'POST'],
    requiredHeaders: ['X-Hub-Signature-256'],
    maxBodyBytes: 3 * 1024 * 1024,
  },
];

/**
 * Content types API Gateway base64-encodes for the Lambda (isBase64Encoded: true). Mailgun's multipart posts carry
 * binary attachments that would be mangled as text; Twilio's urlencoded forms stay text.
 */
export const BINARY_MEDIA_TYPES: readonly string[] = ['multipart/form-data'];

/** API Gateway's payload limit; bigger requests never reach the function. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export const CORS = {
  allowMethods: ['OPTIONS', 'POST'],
  allowHeaders: ['Content-Type', 'X-Twilio-Signature', 'I-Twilio-Idempotency-Token'],
  defaultAllowOrigin: '*',
} as const;

/**
 * `IncomingWebhookHandler` timeout: well under Twilio's 15 s wait and API Gateway's 29 s. The idempotency claim's
 * in-progress expiry is derived from it, so an expired claim always belongs to an attempt that has died.
 */
export const WEBHOOK_FUNCTION = { timeoutSeconds: 10 } as const;

/**
 * Seed §3.3. The throttle is API Gateway's stage throttle. The monthly quota is the AI's budget (`MONTHLY_QUOTA`,
 * `src/app/ai-budget.ts`): it counts only messages queued for the AI, and once it is used up they go to people
 * (HandoffQueue, `quota_exceeded`); no webhook is ever refused for it.
 */
export const LIMITS = {
  throttleRateLimit: 10,
  throttleBurstLimit: 20,
  monthlyQuota: 50_000,
} as const;

/** API Gateway's own answers, emulated byte-for-byte by the local gateway and set as gateway responses in CDK. */
export const GATEWAY_RESPONSES = {
  missingAuthenticationToken: { statusCode: 403, message: 'Missing Authentication Token' },
  throttled: { statusCode: 429, message: 'Too Many Requests' },
  quotaExceeded: { statusCode: 429, message: 'Limit Exceeded' },
  badRequestParameters: { statusCode: 400, messagePrefix: 'Missing required request parameters: ' },
} as const;

/** Environment variable names shared by `loadConfig`, the CDK function definition and the local stack. */
export const ENV = {
  stage: 'STAGE',
  conversationsTable: 'CONVERSATIONS_TABLE',
  companyChannelsTable: 'COMPANY_CHANNELS_TABLE',
  fallbackLedgerTable: 'FALLBACK_LEDGER_TABLE',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  whatsappRepliesQueueUrl: 'WHATSAPP_REPLIES_QUEUE_URL',
  smsRepliesQueueUrl: 'SMS_REPLIES_QUEUE_URL',
  emailRepliesQueueUrl: 'EMAIL_REPLIES_QUEUE_URL',
  handoffQueueUrl: 'HANDOFF_QUEUE_URL',
  webhookBaseUrl: 'WEBHOOK_BASE_URL',
  corsAllowOrigin: 'CORS_ALLOW_ORIGIN',
  twilioApiBaseUrl: 'TWILIO_API_BASE_URL',
  mailgunApiBaseUrl: 'MAILGUN_API_BASE_URL',
  mailgunEuApiBaseUrl: 'MAILGUN_EU_API_BASE_URL',
  registryCacheTtlSeconds: 'REGISTRY_CACHE_TTL_SECONDS',
  secretCacheTtlSeconds: 'SECRET_CACHE_TTL_SECONDS',
  awsCallTimeoutMs: 'AWS_CALL_TIMEOUT_MS',
  webhookDeadlineMs: 'WEBHOOK_DEADLINE_MS',
  monthlyQuota: 'MONTHLY_QUOTA',
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  powertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  /** Set by the Lambda runtime before each invocation: the X-Ray trace header. */
  xrayTraceId: '_X_AMZN_TRACE_ID',
  // Amazon SES inbound via SNS.
  snsUrlPattern: 'SNS_URL_PATTERN',
  sesTopicArns: 'SES_TOPIC_ARNS',
  sesInboundBucket: 'SES_INBOUND_BUCKET',
  // Meta WhatsApp Cloud API.
  metaGraphApiBaseUrl: 'META_GRAPH_API_BASE_URL',
  metaAppCredentialsRef: 'META_APP_CREDENTIALS_REF',
  // Local stack only.
  port: 'PORT',
  /** Moves every embedded port at once: gateway = base, DynamoDB +1, SQS +2, S3 +3, SESv2 +4. */
  localBasePort: 'LOCAL_BASE_PORT',
  localDynamoDbPort: 'LOCAL_DYNAMODB_PORT',
  localSqsPort: 'LOCAL_SQS_PORT',
  localSecretsFile: 'LOCAL_SECRETS_FILE',
  localDataDir: 'LOCAL_DATA_DIR',
  dynamoDbEndpoint: 'AWS_ENDPOINT_URL_DYNAMODB',
  sqsEndpoint: 'AWS_ENDPOINT_URL_SQS',
  sesv2Endpoint: 'AWS_ENDPOINT_URL_SESV2',
  localSesPort: 'LOCAL_SES_PORT',
  repliesQueueDelaySeconds: 'REPLIES_QUEUE_DELAY_SECONDS',
  throttleRateLimit: 'THROTTLE_RATE_LIMIT',
  throttleBurstLimit: 'THROTTLE_BURST_LIMIT',
  seedDemo: 'SEED_DEMO',
  heartbeatUrl: 'HEARTBEAT_URL',
  heartbeatSecretName: 'HEARTBEAT_SECRET_NAME',
  // Email attachments, stored in S3 before the message is queued.
  attachmentsBucket: 'ATTACHMENTS_BUCKET',
  localS3Port: 'LOCAL_S3_PORT',
  s3Endpoint: 'AWS_ENDPOINT_URL_S3',
} as const;

/** The local stack's default ports (`npm start`); the CLI looks there unless --url or PORT says otherwise. */
export const LOCAL_PORTS = { gateway: 3000, dynamodb: 8000, sqs: 9324 } as const;

export const QUEUE_URL_ENV: Record<QueueKey, string> = {
  whatsappReplies: ENV.whatsappRepliesQueueUrl,
  smsReplies: ENV.smsRepliesQueueUrl,
  emailReplies: ENV.emailRepliesQueueUrl,
  handoff: ENV.handoffQueueUrl,
};

export const TABLE_NAME_ENV: Record<TableKey, string> = {
  conversations: ENV.conversationsTable,
  companyChannels: ENV.companyChannelsTable,
  fallbackLedger: ENV.fallbackLedgerTable,
  idempotency: ENV.idempotencyTable,
};

export const OBSERVABILITY = {
  serviceName: 'replies-engine-webhook',
  metricsNamespace: 'RepliesEngine',
  metrics: {
    validationFailure: 'WebhookValidationFailure',
    unknownSender: 'UnknownSenderCount',
    fallbackSent: 'FallbackMessageSent',
    fallbackFailed: 'FallbackMessageFailed',
    processingTime: 'ProcessingTime',
    statusCallback: 'StatusCallbackCount',
    duplicate: 'DuplicateWebhookCount',
    optOut: 'OptOutCount',
    senderUnverified: 'SenderUnverifiedCount',
    senderSpam: 'SenderSpamCount',
    senderVirus: 'SenderVirusCount',
    senderVerdictsAbsent: 'SenderVerdictsAbsentCount',
    /** This month's count of messages queued for the AI, emitted at each counter flush. */
    monthlyQuotaUsed: 'MonthlyQuotaUsed',
    /** The same as a percentage of MONTHLY_QUOTA (alarms at 80 % and 100 %, whatever the stage's quota). */
    monthlyQuotaUsedPercent: 'MonthlyQuotaUsedPercent',
    /** AI-bound messages handed to people because the AI's monthly budget was used up (`quota_exceeded`). */
    quotaExceededHandoff: 'QuotaExceededHandoff',
    /** Inline (forward()) email posts over MAX_INLINE_BODY_BYTES, answered 406 (alarm: the route should be store()). */
    inlineEmailTooLarge: 'InlineEmailTooLarge',
    /** store(notify) attachments refused (URL off the Mailgun host, or over 25 MB), answered 406. */
    storedAttachmentRefused: 'StoredAttachmentRefused',
    /** Plus-addressed replies from another sender of the same company's conversation, queued for a human. */
    senderMismatch: 'SenderMismatchCount',
    /** A verified heartbeat webhook (the stage's own synthetic probe through the public URL), never queued. */
    heartbeat: 'HeartbeatCount',
  },
} as const;

/** Secrets are named `{channel}-credentials/{company_name}/{project_name}/{provider}` (seed §5.3). */
export const SECRET_NAME_PREFIXES: readonly string[] = CHANNEL_TYPES.map(
  (channel) => `${channel}-credentials/`,
);

/**
 * Email attachments, stored before the message is queued. Keys are `<keyPrefix><company_id>/<conversation_id>/
 * <message digest>/<index>` (`src/domain/attachment-key.ts`): deterministic, so a retried webhook overwrites the
 * same objects, and free of addresses. The function may only PutObject under `keyPrefix`.
 */
export const ATTACHMENTS_BUCKET = {
  /** Local bucket name; deployed: `<localName>-<account>-<region>-<stage>` (bucket names are global). */
  localName: 'replies-engine-attachments',
  keyPrefix: 'attachments/',
  /** Default lifecycle expiry (CDK context `attachmentsExpiryDays`): long enough for the AI and a human to read. */
  defaultExpiryDays: 90,
  /** Multipart uploads a crashed invocation left behind are aborted by lifecycle after this many days. */
  abortIncompleteMultipartDays: 1,
  defaultLocalPort: 4569,
} as const;

/**
 * Above this an attachment goes up as a multipart upload in parts of this size (S3's minimum part size, 5 MiB); at
 * or below it, one PutObject carrying the SHA-256 S3 verifies. Peak memory is about one part per attachment.
 */
export const ATTACHMENT_PART_BYTES = 5 * 1024 * 1024;

/** Mailgun accepts messages up to 25 MB; a stored message or attachment larger than this is refused unread. */
export const MAILGUN_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/**
 * busboy's bounds for a Mailgun multipart post, before and after verification alike (both passes must see the same
 * parts): generous for a real email (a few dozen fields, one part per attachment), small enough that a hostile body
 * stops being parsed long before memory matters.
 */
export const MULTIPART_LIMITS = { fields: 200, fieldSize: 2 * 1024 * 1024, files: 50, parts: 300 } as const;

/**
 * How the AWS SDK clients call AWS (the per-attempt timeout is config: `AWS_CALL_TIMEOUT_MS`): one retry (a second
 * attempt rescues a lost connection, a third would not fit the webhook's deadline); a slower connect to an in-region
 * endpoint is a failed one; a 5 MiB S3 part may take longer per attempt than a DynamoDB write.
 */
export const AWS_CLIENTS = { maxAttempts: 2, connectMs: 1_000, s3MinRequestMs: 5_000 } as const;

/** The in-process caches in front of the registry and the secrets (their TTLs are config: `ENV.*CacheTtlSeconds`). */
export const CACHES = {
  /** A signature mismatch may refresh a secret (key rotation) at most this often: forged traffic cannot turn
   * every request into a GetSecretValue. */
  secretMinRefreshIntervalMs: 60_000,
  /** Registry entries kept per container: far more company channels than one deployment has, and a bound on what
   * lookups of unknown recipients can fill. */
  registryMaxEntries: 10_000,
} as const;
/** Amazon SES inbound through SNS HTTPS notifications, and the SES fallback sender. */
export const SES = {
  /** SNS names the delivery type in this header; without it `/email` is a Mailgun route. */
  snsMessageTypeHeader: 'x-amz-sns-message-type',
  /** Where the receipt rule's S3 action writes raw messages (the object key is this prefix + SES's message id). */
  inboundObjectKeyPrefix: 'inbound/',
  /** Raw messages are needed only until processed and retried; SNS retries for at most about an hour. */
  inboundRetentionDays: 7,
  /** The local stack's embedded SESv2 emulator (aws-ses-v2-local's own default port). */
  defaultLocalSesPort: 8005,
  /** The local stack's inbound bucket in its embedded S3. */
  localInboundBucket: 'ses-inbound-local',
  /** The SNS → `/email` delivery policy: 2 × 5 s, backoff to 60 s, 40 × 60 s ≈ 50 min (SNS allows ≤ 3,600 s). */
  snsDeliveryRetries: { numRetries: 60, numMaxDelayRetries: 40, minDelaySeconds: 5, maxDelaySeconds: 60 },
  /**
   * SNS → `/email` deliveries per second: half the stage throttle (`LIMITS.throttleRateLimit`), so a backlog
   * replayed by SNS can never crowd out Twilio's webhooks or meet a 429 (final for SNS).
   */
  snsMaxReceivesPerSecond: 5,
  /** Where a notification SNS could not deliver is parked (per stage, `-<stage>` appended), for replay. */
  notificationDeadLetterQueueName: 'SesNotifications-DLQ',
} as const;

/**
 * The heartbeat: every `intervalMinutes` a scheduled function posts a correctly signed Twilio status callback to the
 * stage's public `/sms` URL from `address`, a reserved registry entry with its own secret. The handler verifies it
 * like any webhook and only then recognises it (`src/app/heartbeat.ts`): counted, never queued. A `+1000…` number
 * is no real Twilio sender, so no genuine webhook can carry it.
 */
export const HEARTBEAT = {
  address: '+10000000000',
  /** The reserved entry's credentials (Twilio-shaped: account_sid, auth_token), under the SMS secrets prefix. */
  secretName: 'sms-credentials/replies-engine/heartbeat/twilio',
  route: '/sms',
  intervalMinutes: 10,
  /** The recipient the synthetic callback names (status callbacks carry the customer in To). */
  recipient: '+10000000001',
} as const;

/** Meta's WhatsApp Cloud API (one Meta app per deployment; tenants' business accounts subscribe to it). */
export const META = {
  /** Graph's current version (v26.0, released 2026-07-29; developers.facebook.com/docs/graph-api/changelog). */
  defaultGraphApiBaseUrl: 'https://graph.facebook.com/v26.0',
  /** The app's secret: JSON `{ "app_secret", "verify_token" }`. */
  defaultAppCredentialsRef: 'whatsapp-credentials/meta-app',
  /** Registry entries are `meta:<phone_number_id>`; tenant secrets `whatsapp-credentials/<company>/<project>/meta`. */
  channelAddressPrefix: 'meta:',
} as const;

/**
 * WhatsApp media (Meta and Twilio) stored like email attachments. WhatsApp documents may reach 100 MB, but one
 * webhook's time budget is seconds: past this the media stays with the provider and the context says so.
 */
export const PROVIDER_MEDIA = {
  maxBytes: 25 * 1024 * 1024,
  /**
   * Media of one request must be stored within this long after it arrived (the webhook deadline is 7.5 s): what
   * is left after it stays with the provider, so the claim, the queue and the answer always fit.
   */
  budgetMs: 4_000,
} as const;
