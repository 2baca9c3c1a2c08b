import { z } from 'zod';
import type { Config, ConfigOverrides } from '../config.js';
import { compileSnsUrlPattern } from '../domain/sns-url-policy.js';
import { ENV, LIMITS, type QueueKey } from '../resources.js';
import { resolveLocalPorts } from './local-ports.js';
import type { LocalStackOptions } from './local-stack.js';

const port = () => z.coerce.number().int().min(0).max(65535).optional();
const limit = (fallback: number) => z.coerce.number().min(0).default(fallback);

/** `npm start` settings (CONTRACT: architecture.md, the local stack); the only env reader of the local runtime. */
export function loadLocalOptions(env: Readonly<Record<string, string | undefined>>): LocalStackOptions {
  const schema = z.object({
    [ENV.port]: port(),
    // The base port's five ports must all be valid ports; 0 makes each a free one.
    [ENV.localBasePort]: z.coerce.number().int().min(0).max(65531).optional(),
    [ENV.localDynamoDbPort]: port(),
    [ENV.localSqsPort]: port(),
    [ENV.localS3Port]: port(),
    [ENV.s3Endpoint]: z.string().url().optional(),
    [ENV.localSesPort]: port(),
    [ENV.sesv2Endpoint]: z.string().url().optional(),
    [ENV.localSecretsFile]: z.string().min(1).optional(),
    [ENV.localDataDir]: z.string().min(1).optional(),
    [ENV.dynamoDbEndpoint]: z.string().url().optional(),
    [ENV.sqsEndpoint]: z.string().url().optional(),
    // Locally messages are visible at once so the demo can be read straight away; AWS keeps the seed's 30 s.
    [ENV.repliesQueueDelaySeconds]: z.coerce.number().int().min(0).max(900).default(0),
    [ENV.throttleRateLimit]: limit(LIMITS.throttleRateLimit),
    [ENV.throttleBurstLimit]: limit(LIMITS.throttleBurstLimit),
    [ENV.monthlyQuota]: limit(LIMITS.monthlyQuota),
    [ENV.seedDemo]: z.enum(['true', 'false']).default('true'),
    [ENV.webhookBaseUrl]: z.string().url().optional(),
    [ENV.corsAllowOrigin]: z.string().min(1).optional(),
    [ENV.twilioApiBaseUrl]: z.string().url().optional(),
    [ENV.mailgunApiBaseUrl]: z.string().url().optional(),
    // A harness acting as SNS: its certificate URL pattern, topic and bucket replace the local stand-ins'.
    [ENV.snsUrlPattern]: z.string().min(1).optional(),
    [ENV.sesTopicArns]: z.string().min(1).optional(),
    [ENV.sesInboundBucket]: z.string().min(3).optional(),
  });
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid local configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const v = parsed.data as Record<string, string | number | undefined>;
  const optional = (name: string) => (v[name] === undefined ? {} : { [name]: v[name] });
  const o = {
    ...optional(ENV.localSecretsFile),
    ...optional(ENV.localDataDir),
    ...optional(ENV.dynamoDbEndpoint),
    ...optional(ENV.sqsEndpoint),
    ...optional(ENV.s3Endpoint),
    ...optional(ENV.sesv2Endpoint),
    ...optional(ENV.webhookBaseUrl),
    ...optional(ENV.twilioApiBaseUrl),
    ...optional(ENV.mailgunApiBaseUrl),
    ...optional(ENV.corsAllowOrigin),
  } as Record<string, string>;
  const num = (name: string) => v[name] as number | undefined;
  const ports = resolveLocalPorts(
    {
      gateway: num(ENV.port),
      dynamodb: num(ENV.localDynamoDbPort),
      sqs: num(ENV.localSqsPort),
      s3: num(ENV.localS3Port),
      ses: num(ENV.localSesPort),
    },
    num(ENV.localBasePort),
  );
  return {
    port: ports.gateway.port,
    dynamodbPort: ports.dynamodb.port,
    sqsPort: ports.sqs.port,
    s3Port: ports.s3.port,
    sesPort: ports.ses.port,
    portSettings: {
      gateway: ports.gateway.setting,
      dynamodb: ports.dynamodb.setting,
      sqs: ports.sqs.setting,
      s3: ports.s3.setting,
      ses: ports.ses.setting,
    },
    ...(o[ENV.sesv2Endpoint] ? { sesv2Endpoint: o[ENV.sesv2Endpoint] } : {}),
    ...(o[ENV.localSecretsFile] ? { secretsFile: o[ENV.localSecretsFile] } : {}),
    ...(o[ENV.localDataDir] ? { dataDir: o[ENV.localDataDir] } : {}),
    ...(o[ENV.dynamoDbEndpoint] ? { dynamodbEndpoint: o[ENV.dynamoDbEndpoint] } : {}),
    ...(o[ENV.sqsEndpoint] ? { sqsEndpoint: o[ENV.sqsEndpoint] } : {}),
    ...(o[ENV.s3Endpoint] ? { s3Endpoint: o[ENV.s3Endpoint] } : {}),
    ...(o[ENV.webhookBaseUrl] ? { webhookBaseUrl: o[ENV.webhookBaseUrl] } : {}),
    ...(o[ENV.twilioApiBaseUrl] ? { twilioApiBaseUrl: o[ENV.twilioApiBaseUrl] } : {}),
    ...(o[ENV.mailgunApiBaseUrl] ? { mailgunApiBaseUrl: o[ENV.mailgunApiBaseUrl] } : {}),
    ...(o[ENV.corsAllowOrigin] ? { corsAllowOrigin: o[ENV.corsAllowOrigin] } : {}),
    ...sesInboundOptions(v),
    seedDemo: v[ENV.seedDemo] === 'true',
    queueDelaySeconds: v[ENV.repliesQueueDelaySeconds] as number,
    throttleRateLimit: v[ENV.throttleRateLimit] as number,
    throttleBurstLimit: v[ENV.throttleBurstLimit] as number,
    monthlyQuota: v[ENV.monthlyQuota] as number,
  };
}

function sesInboundOptions(
  v: Record<string, string | number | undefined>,
): Pick<LocalStackOptions, 'sesInbound'> {
  const pattern = v[ENV.snsUrlPattern] as string | undefined;
  const topics = v[ENV.sesTopicArns] as string | undefined;
  const bucket = v[ENV.sesInboundBucket] as string | undefined;
  if (pattern === undefined && topics === undefined && bucket === undefined) return {};
  return {
    sesInbound: {
      ...(pattern !== undefined ? { snsUrlPattern: pattern } : {}),
      ...(topics !== undefined
        ? {
            topicArns: topics
              .split(',')
              .map((arn) => arn.trim())
              .filter((arn) => arn !== ''),
          }
        : {}),
      ...(bucket !== undefined ? { inboundBucket: bucket } : {}),
    },
  };
}

/** What the local stack found out while starting: where it listens, its emulators, the queues it created. */
export interface LocalDiscoveries {
  readonly gatewayUrl: string;
  readonly endpoints: Config['endpoints'];
  readonly queueUrls: Readonly<Record<QueueKey, string>>;
  /** The local SNS/SES stand-ins' settings (certificate URL pattern, topic, inbound bucket, SESv2 endpoint). */
  readonly ses?: Partial<Config['ses']>;
}

/**
 * The local stack's settings as typed overrides of the single Config (`loadConfig({}, overrides)`): what it started
 * and created, what its options say, and the embedded outbox unless a provider base URL was given. Anything not
 * set here keeps Config's default.
 */
export function localConfigOverrides(options: LocalStackOptions, found: LocalDiscoveries): ConfigOverrides {
  return {
    stage: 'local',
    endpoints: found.endpoints,
    queueUrls: found.queueUrls,
    ...(found.ses || options.sesInbound ? { ses: { ...found.ses, ...sesInboundConfig(options) } } : {}),
    twilioApiBaseUrl: (options.twilioApiBaseUrl ?? `${found.gatewayUrl}/_local/twilio`).replace(/\/+$/, ''),
    mailgunApiBaseUrl: (options.mailgunApiBaseUrl ?? `${found.gatewayUrl}/_local/mailgun`).replace(
      /\/+$/,
      '',
    ),
    // Locally both regions are the stand-in: an EU tenant's calls must never leave the machine.
    mailgunEuApiBaseUrl: (options.mailgunApiBaseUrl ?? `${found.gatewayUrl}/_local/mailgun`).replace(
      /\/+$/,
      '',
    ),
    monthlyQuota: options.monthlyQuota,
    ...(options.webhookBaseUrl ? { webhookBaseUrl: options.webhookBaseUrl.replace(/\/+$/, '') } : {}),
    ...(options.corsAllowOrigin ? { corsAllowOrigin: options.corsAllowOrigin } : {}),
    ...(options.webhookDeadlineMs !== undefined ? { webhookDeadlineMs: options.webhookDeadlineMs } : {}),
    ...(options.awsCallTimeoutMs !== undefined ? { awsCallTimeoutMs: options.awsCallTimeoutMs } : {}),
  };
}

/** The SES settings a harness gave (`sesInbound`) over the local stand-ins' defaults. */
function sesInboundConfig(options: LocalStackOptions): Partial<Config['ses']> {
  const given = options.sesInbound;
  if (!given) return {};
  return {
    ...(given.snsUrlPattern !== undefined
      ? { snsUrlPattern: compileSnsUrlPattern(given.snsUrlPattern) }
      : {}),
    ...(given.topicArns !== undefined ? { topicArns: given.topicArns } : {}),
    ...(given.inboundBucket !== undefined ? { inboundBucket: given.inboundBucket } : {}),
  };
}
