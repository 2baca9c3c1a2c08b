// zod/mini: the same checks as `zod` at a fraction of the import cost; this module runs on every cold start.
import * as z from 'zod/mini';
import { compileSnsUrlPattern, DEFAULT_SNS_URL_PATTERN } from './domain/sns-url-policy.js';
import {
  ATTACHMENTS_BUCKET,
  CORS,
  ENV,
  HEARTBEAT,
  LIMITS,
  META,
  QUEUE_URL_ENV,
  type QueueKey,
  TABLE_NAME_ENV,
  TABLES,
  type TableKey,
  WEBHOOK_FUNCTION,
} from './resources.js';

// zod/mini loads no locale: each check names its own message, so errors still say what is wrong.
const url = () => z.url('must be a URL');
const nonEmpty = (fallback: string) =>
  z._default(z.string().check(z.minLength(1, 'must not be empty')), fallback);
const positiveInt = (fallback: number) =>
  z._default(
    z.coerce.number('must be a number').check(z.int('must be a whole number'), z.minimum(0, 'must be ≥ 0')),
    fallback,
  );
const optionalUrl = z.optional(
  z.pipe(
    url(),
    z.transform((value: string) => value.replace(/\/+$/, '')),
  ),
);

/** Runtime configuration of the webhook handler; the only place that reads environment variables. */
export interface Config {
  readonly stage: string;
  readonly tables: Readonly<Record<TableKey, string>>;
  readonly queueUrls: Readonly<Record<QueueKey, string>>;
  /** Canonical public base URL signatures are checked against (e.g. https://hooks.example.com). */
  readonly webhookBaseUrl: string | undefined;
  readonly corsAllowOrigin: string;
  readonly twilioApiBaseUrl: string;
  readonly mailgunApiBaseUrl: string;
  /** META_GRAPH_API_BASE_URL, versioned, no trailing slash; its origin is also allowed to serve media. */
  readonly metaGraphApiBaseUrl: string;
  /** META_APP_CREDENTIALS_REF: the Meta app's secret `{ app_secret, verify_token }`. */
  readonly metaAppCredentialsRef: string;
  /** Mailgun's EU API, for tenants whose registry entry names `api.eu.mailgun.net`. */
  readonly mailgunEuApiBaseUrl: string;
  readonly registryCacheTtlMs: number;
  readonly secretCacheTtlMs: number;
  readonly awsCallTimeoutMs: number;
  /** Budget for one webhook's outbound calls; clean-up after it (releasing a claim) has its own call timeout. */
  readonly webhookDeadlineMs: number;
  /** Messages queued for the AI per calendar month (UTC); past it they go to people (HandoffQueue). 0 = none. */
  readonly monthlyQuota: number;
  readonly endpoints: {
    readonly dynamodb: string | undefined;
    readonly sqs: string | undefined;
    /** AWS_ENDPOINT_URL_S3: an S3-compatible endpoint (the local emulator), addressed path-style. */
    readonly s3?: string | undefined;
  };
  /** Where email attachments are stored (ATTACHMENTS_BUCKET), under `ATTACHMENTS_BUCKET.keyPrefix`. */
  readonly attachmentsBucket: string;
  /** Amazon SES inbound. No topics configured: every SNS delivery is refused (403). */
  readonly ses: {
    /** Admits SigningCertURL and SubscribeURL; anchored, checked on the parsed URL. */
    readonly snsUrlPattern: RegExp;
    /** Exact TopicArns accepted (`SES_TOPIC_ARNS`, comma-separated). */
    readonly topicArns: readonly string[];
    /** The only bucket raw messages are read from. */
    readonly inboundBucket: string | undefined;
    /** SESv2 endpoint override (the local emulator). */
    readonly sesv2Endpoint: string | undefined;
  };
}

/**
 * Settings a composition root knows better than the environment (the local stack: the endpoints of the emulators it
 * started, the queues it created, its outbox); merged over what `env` says. Typed, so nothing is turned back into
 * environment strings. With `queueUrls` given, the queue URL variables are not required.
 */
export type ConfigOverrides = Partial<Omit<Config, 'endpoints' | 'ses'>> & {
  readonly endpoints?: Partial<Config['endpoints']>;
  readonly ses?: Partial<Config['ses']>;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  overrides: ConfigOverrides = {},
): Config {
  const tableShape = Object.fromEntries(
    (Object.keys(TABLES) as TableKey[]).map((key) => [TABLE_NAME_ENV[key], nonEmpty(TABLES[key].localName)]),
  );
  const queueShape = overrides.queueUrls
    ? {}
    : Object.fromEntries(
        (Object.keys(QUEUE_URL_ENV) as QueueKey[]).map((key) => [QUEUE_URL_ENV[key], url()]),
      );
  const schema = z.object({
    ...tableShape,
    ...queueShape,
    [ENV.stage]: nonEmpty('local'),
    [ENV.webhookBaseUrl]: optionalUrl,
    [ENV.corsAllowOrigin]: nonEmpty(CORS.defaultAllowOrigin),
    [ENV.twilioApiBaseUrl]: z._default(url(), 'https://api.twilio.com'),
    [ENV.mailgunApiBaseUrl]: z._default(url(), 'https://api.mailgun.net'),
    [ENV.metaGraphApiBaseUrl]: z._default(url(), META.defaultGraphApiBaseUrl),
    [ENV.metaAppCredentialsRef]: nonEmpty(META.defaultAppCredentialsRef),
    [ENV.mailgunEuApiBaseUrl]: z._default(url(), 'https://api.eu.mailgun.net'),
    [ENV.registryCacheTtlSeconds]: positiveInt(60),
    [ENV.secretCacheTtlSeconds]: positiveInt(300),
    // Per attempt, 2 attempts max. A warm webhook makes 4 calls, so even if each succeeds only on its second
    // attempt the handler answers (4 × 2 × 1 s + backoff ≈ 8.5 s) before the 10 s function timeout, rather than
    // being killed holding a claim. DynamoDB and SQS answer in milliseconds; a second that passes is an outage.
    [ENV.awsCallTimeoutMs]: positiveInt(1_000),
    // Leaves room inside the function timeout for one clean-up call (≤ 2 attempts × 1 s) after the deadline.
    [ENV.webhookDeadlineMs]: positiveInt(WEBHOOK_FUNCTION.timeoutSeconds * 1000 - 2_500),
    [ENV.monthlyQuota]: positiveInt(LIMITS.monthlyQuota),
    [ENV.dynamoDbEndpoint]: optionalUrl,
    [ENV.sqsEndpoint]: optionalUrl,
    [ENV.s3Endpoint]: optionalUrl,
    [ENV.attachmentsBucket]: nonEmpty(ATTACHMENTS_BUCKET.localName),
    [ENV.snsUrlPattern]: nonEmpty(DEFAULT_SNS_URL_PATTERN),
    [ENV.sesTopicArns]: z._default(z.string(), ''),
    [ENV.sesInboundBucket]: z.optional(z.string().check(z.minLength(3, 'must be a bucket name'))),
    [ENV.sesv2Endpoint]: optionalUrl,
  });
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${issues}`);
  }
  const values = parsed.data as Record<string, unknown>;
  const str = (name: string) => values[name] as string;
  let snsUrlPattern: RegExp;
  try {
    snsUrlPattern = compileSnsUrlPattern(str(ENV.snsUrlPattern));
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${ENV.snsUrlPattern}: ${(error as Error).message}`);
  }
  const num = (name: string) => values[name] as number;
  const fromEnv: Config = {
    stage: str(ENV.stage),
    tables: Object.fromEntries(
      (Object.keys(TABLES) as TableKey[]).map((k) => [k, str(TABLE_NAME_ENV[k])]),
    ) as Record<TableKey, string>,
    queueUrls: Object.fromEntries(
      (Object.keys(QUEUE_URL_ENV) as QueueKey[]).map((k) => [k, str(QUEUE_URL_ENV[k])]),
    ) as Record<QueueKey, string>,
    webhookBaseUrl: values[ENV.webhookBaseUrl] as string | undefined,
    corsAllowOrigin: str(ENV.corsAllowOrigin),
    twilioApiBaseUrl: str(ENV.twilioApiBaseUrl).replace(/\/+$/, ''),
    mailgunApiBaseUrl: str(ENV.mailgunApiBaseUrl).replace(/\/+$/, ''),
    metaGraphApiBaseUrl: str(ENV.metaGraphApiBaseUrl).replace(/\/+$/, ''),
    metaAppCredentialsRef: str(ENV.metaAppCredentialsRef),
    mailgunEuApiBaseUrl: str(ENV.mailgunEuApiBaseUrl).replace(/\/+$/, ''),
    registryCacheTtlMs: num(ENV.registryCacheTtlSeconds) * 1000,
    secretCacheTtlMs: num(ENV.secretCacheTtlSeconds) * 1000,
    awsCallTimeoutMs: num(ENV.awsCallTimeoutMs),
    webhookDeadlineMs: num(ENV.webhookDeadlineMs),
    monthlyQuota: num(ENV.monthlyQuota),
    endpoints: {
      dynamodb: values[ENV.dynamoDbEndpoint] as string | undefined,
      sqs: values[ENV.sqsEndpoint] as string | undefined,
      s3: values[ENV.s3Endpoint] as string | undefined,
    },
    attachmentsBucket: str(ENV.attachmentsBucket),
    ses: {
      snsUrlPattern,
      topicArns: str(ENV.sesTopicArns)
        .split(',')
        .map((arn) => arn.trim())
        .filter((arn) => arn !== ''),
      inboundBucket: values[ENV.sesInboundBucket] as string | undefined,
      sesv2Endpoint: values[ENV.sesv2Endpoint] as string | undefined,
    },
  };
  return {
    ...fromEnv,
    ...overrides,
    endpoints: { ...fromEnv.endpoints, ...overrides.endpoints },
    ses: { ...fromEnv.ses, ...overrides.ses },
  };
}

/** The heartbeat Lambda's settings: where to post, and the name of the reserved entry's secret. */
export interface HeartbeatConfig {
  readonly url: string;
  readonly secretName: string;
}

export function loadHeartbeatConfig(env: Readonly<Record<string, string | undefined>>): HeartbeatConfig {
  const parsed = z
    .object({
      [ENV.heartbeatUrl]: url(),
      [ENV.heartbeatSecretName]: z._default(
        z.string().check(z.minLength(1, 'must not be empty')),
        HEARTBEAT.secretName,
      ),
    })
    .safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid heartbeat configuration: ${issues}`);
  }
  const values = parsed.data as Record<string, string>;
  return { url: values[ENV.heartbeatUrl] as string, secretName: values[ENV.heartbeatSecretName] as string };
}
