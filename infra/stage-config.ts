import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { CORS, LIMITS, WEBHOOK_FUNCTION } from '../src/resources.js';

/**
 * Per-stage settings. Seed numbers (queues, throttle, quota) are NOT here: they live in `src/resources.ts` and are
 * the same in every stage, so what you test in dev is what runs in prod.
 */
export type StageName = 'dev' | 'staging' | 'prod';
export const STAGE_NAMES: readonly StageName[] = ['dev', 'staging', 'prod'];

export interface AlarmThresholds {
  /** WebhookValidationFailure sum per 5 min: a few are misconfiguration, a burst is forgery (seed §7). */
  readonly validationFailuresPer5Min: number;
  /** UnknownSenderCount sum per hour: old numbers texting in is normal; a flood is a leak or a misrouted number. */
  readonly unknownSendersPerHour: number;
  /** API 4XXError sum per 5 min (400 validator, 403 signature/unknown route, 429 throttle or quota). */
  readonly api4xxPer5Min: number;
  /** ApproximateAgeOfOldestMessage on a replies/handoff queue: consumers stalled (the 30 s delay is included). */
  readonly oldestMessageAgeSeconds: number;
}

export interface StageConfig {
  readonly stage: StageName;
  readonly logRetention: RetentionDays;
  /**
   * Tables, queues and log groups. Prod: `RETAIN_ON_UPDATE_OR_DELETE` (CloudFormation `RetainExceptOnCreate`), so a
   * stack deletion or an update that drops a resource never loses conversations, while a rolled-back first create
   * deletes what it made instead of stranding named resources that make the retry fail with "already exists".
   */
  readonly removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection: a second guard on prod data on top of RETAIN. */
  readonly deletionProtection: boolean;
  /**
   * 512 MB on arm64 gives a full vCPU share for HMAC + JSON and a faster cold start; at 50,000 requests a month the
   * cost difference to 256 MB is cents. dev keeps 256 MB (cold starts matter less there).
   */
  readonly webhookMemoryMb: number;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly alarms: AlarmThresholds;
  /** WAF rate-based rule: requests per IP per 5 minutes (Twilio spreads webhooks over many addresses). */
  readonly wafRequestsPerIpPer5Min: number;
}

const sharedAlarms: AlarmThresholds = {
  validationFailuresPer5Min: 10,
  unknownSendersPerHour: 50,
  api4xxPer5Min: 50,
  oldestMessageAgeSeconds: 15 * 60,
};

export const STAGE_CONFIGS: Record<StageName, StageConfig> = {
  dev: {
    stage: 'dev',
    logRetention: RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    webhookMemoryMb: 256,
    logLevel: 'DEBUG',
    alarms: sharedAlarms,
    wafRequestsPerIpPer5Min: 1000,
  },
  staging: {
    stage: 'staging',
    logRetention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    webhookMemoryMb: 512,
    logLevel: 'INFO',
    alarms: sharedAlarms,
    wafRequestsPerIpPer5Min: 1000,
  },
  prod: {
    stage: 'prod',
    // Logs hold masked message metadata only; 3 months covers incident review without hoarding PII.
    logRetention: RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    deletionProtection: true,
    webhookMemoryMb: 512,
    logLevel: 'INFO',
    alarms: sharedAlarms,
    wafRequestsPerIpPer5Min: 1000,
  },
};

/**
 * Twilio waits 15 s for a webhook answer (API Gateway allows 29 s). The handler makes a handful of AWS calls with
 * short client timeouts plus, at most, one outbound fallback message; 10 s leaves headroom for a cold start and
 * still answers Twilio before it gives up and uses the Fallback URL.
 */
export const WEBHOOK_TIMEOUT = Duration.seconds(WEBHOOK_FUNCTION.timeoutSeconds);

/** Deploy-time options read from CDK context (`-c key=value`). */
export interface DeployOptions {
  readonly config: StageConfig;
  readonly alarmEmail?: string;
  readonly enableWaf: boolean;
  readonly enableTracing: boolean;
  readonly corsAllowOrigin: string;
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** Amazon SES inbound for this domain (`-c sesDomain=mail.example.com`). */
  readonly sesDomain?: string;
}

function contextString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') {
    throw new Error(`Context "${key}" must be a string, number or boolean`);
  }
  return String(value);
}

function contextFlag(node: Node, key: string): boolean {
  const value = contextString(node, key);
  if (value === undefined) return false;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`Context "${key}" must be true or false, got "${value}"`);
}

/** Reads and validates `-c stage=… -c alarmEmail=… -c enableWaf=… -c domainName=… -c certificateArn=…`. */
export function readDeployOptions(node: Node): DeployOptions {
  const stage = contextString(node, 'stage') ?? 'dev';
  if (!(STAGE_NAMES as readonly string[]).includes(stage)) {
    throw new Error(`Unknown stage "${stage}"; expected one of ${STAGE_NAMES.join(', ')}`);
  }
  const domainName = contextString(node, 'domainName');
  const certificateArn = contextString(node, 'certificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error('Context "domainName" and "certificateArn" must be given together');
  }
  const alarmEmail = contextString(node, 'alarmEmail');
  const sesDomain = contextString(node, 'sesDomain');
  if (
    sesDomain !== undefined &&
    !/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(sesDomain)
  ) {
    throw new Error(`Context "sesDomain" must be a lower-case domain name, got "${sesDomain}"`);
  }
  return {
    config: STAGE_CONFIGS[stage as StageName],
    enableWaf: contextFlag(node, 'enableWaf'),
    enableTracing: contextFlag(node, 'enableTracing'),
    corsAllowOrigin: contextString(node, 'corsAllowOrigin') ?? CORS.defaultAllowOrigin,
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(domainName && certificateArn ? { customDomain: { domainName, certificateArn } } : {}),
    ...(sesDomain ? { sesDomain } : {}),
  };
}

/** Requests per minute at which the stage throttle starts answering 429 (seed §3.3). */
export const THROTTLE_REQUESTS_PER_MINUTE = LIMITS.throttleRateLimit * 60;
