import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { LIMITS, WEBHOOK_FUNCTION } from '../src/resources.js';
import { validateDeployment } from './deployment-schema.js';
import { STAGE_DEPLOYMENTS } from './stages.js';

/**
 * Per-stage settings. Seed numbers (queues, throttle, quota) are NOT here: they live in `src/resources.ts` and are
 * the same in every stage, so what you test in dev is what runs in prod.
 */
export type StageName = 'dev' | 'staging' | 'prod';
const STAGE_NAMES: readonly StageName[] = ['dev', 'staging', 'prod'];

interface AlarmThresholds {
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
  /**
   * DynamoDB deletion protection: a second guard on prod data on top of RETAIN. Applied from the live phase on:
   * a protected table made by a failed first create cannot be deleted by the rollback, which then strands the stack
   * in ROLLBACK_FAILED (`-c phase=first` leaves it off; the next deploy turns it on in place).
   */
  readonly deletionProtection: boolean;
  /** CloudFormation termination protection on the stateful stack (tables, queues, buckets). */
  readonly terminationProtection: boolean;
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
    terminationProtection: false,
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
    terminationProtection: false,
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
    terminationProtection: true,
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

/** The first deploy of a stage (`-c phase=first`), or the stage as it runs once live (the committed state). */
type DeployPhase = 'first' | 'live';

/** Everything one stage is deployed with: the committed `infra/stages.ts` entry, `-c` overrides applied. */
export interface DeployOptions {
  readonly config: StageConfig;
  readonly phase: DeployPhase;
  /** Pinned account and region (dev may leave them to the credentials in use). */
  readonly account?: string;
  readonly region?: string;
  readonly alarmEmail?: string;
  readonly enableWaf: boolean;
  readonly enableTracing: boolean;
  readonly corsAllowOrigin: string;
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** Amazon SES inbound for this domain. */
  readonly sesDomain?: string;
  readonly monthlyQuota: number;
  readonly heartbeat: boolean;
  readonly manageApiGatewayAccount: boolean;
}

function contextString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') {
    throw new Error(`Context "${key}" must be a string, number or boolean`);
  }
  return String(value);
}

function contextFlag(node: Node, key: string): boolean | undefined {
  const value = contextString(node, key);
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`Context "${key}" must be true or false, got "${value}"`);
}

/** `-c key=none` removes an optional committed value (an experiment without SES, say). */
const NONE = 'none';

/**
 * The stage's committed deployment (`infra/stages.ts`) with any `-c key=value` override on top, validated: a value
 * a stage requires and lacks fails here with its name.
 */
export function readDeployOptions(node: Node): DeployOptions {
  const stage = contextString(node, 'stage') ?? 'dev';
  if (!(STAGE_NAMES as readonly string[]).includes(stage)) {
    throw new Error(`Unknown stage "${stage}"; expected one of ${STAGE_NAMES.join(', ')}`);
  }
  const committed: Record<string, unknown> = { ...STAGE_DEPLOYMENTS[stage as StageName] };
  const merged: Record<string, unknown> = { ...committed };
  for (const key of ['account', 'region', 'sesDomain', 'alarmEmail', 'corsAllowOrigin'] as const) {
    const value = contextString(node, key);
    if (value === NONE) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  for (const key of ['enableWaf', 'enableTracing', 'heartbeat', 'manageApiGatewayAccount'] as const) {
    const value = contextFlag(node, key);
    if (value !== undefined) merged[key] = value;
  }
  const quota = contextString(node, 'monthlyQuota');
  if (quota !== undefined) merged.monthlyQuota = Number(quota);
  const domainName = contextString(node, 'domainName');
  const certificateArn = contextString(node, 'certificateArn');
  if (domainName === NONE) delete merged.customDomain;
  else if (domainName !== undefined || certificateArn !== undefined) {
    if (domainName === undefined || certificateArn === undefined) {
      throw new Error('Context "domainName" and "certificateArn" must be given together');
    }
    merged.customDomain = { domainName, certificateArn };
  }
  const phase = contextString(node, 'phase') ?? 'live';
  if (phase !== 'first' && phase !== 'live') {
    throw new Error(`Context "phase" must be first or live, got "${phase}"`);
  }
  const resolved = validateDeployment(stage, merged);
  return {
    config: STAGE_CONFIGS[stage as StageName],
    phase,
    enableWaf: resolved.enableWaf,
    enableTracing: resolved.enableTracing,
    corsAllowOrigin: resolved.corsAllowOrigin,
    monthlyQuota: resolved.monthlyQuota,
    heartbeat: resolved.heartbeat,
    manageApiGatewayAccount: resolved.manageApiGatewayAccount,
    ...(resolved.account ? { account: resolved.account } : {}),
    ...(resolved.region ? { region: resolved.region } : {}),
    ...(resolved.alarmEmail ? { alarmEmail: resolved.alarmEmail } : {}),
    ...(resolved.customDomain ? { customDomain: resolved.customDomain } : {}),
    ...(resolved.sesDomain ? { sesDomain: resolved.sesDomain } : {}),
  };
}

/** Requests per minute at which the stage throttle starts answering 429 (seed §3.3). */
export const THROTTLE_REQUESTS_PER_MINUTE = LIMITS.throttleRateLimit * 60;
