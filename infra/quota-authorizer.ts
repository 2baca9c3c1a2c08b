import { Duration } from 'aws-cdk-lib';
import {
  ApiKey,
  IdentitySource,
  Period,
  RequestAuthorizer,
  type RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { LIMITS } from '../src/resources.js';
import { NodeFunction } from './node-function.js';
import { QUOTA_AUTHORIZER_ENTRY } from './paths.js';
import { QUOTA_KEY_ENV } from './quota-authorizer/handler.js';
import type { StageConfig } from './stage-config.js';

export interface QuotaAuthorizerProps {
  readonly api: RestApi;
  readonly config: StageConfig;
  readonly tracing: boolean;
}

/** API Gateway caches authorizer results for at most one hour. */
export const AUTHORIZER_CACHE_TTL = Duration.hours(1);

/**
 * Makes the seed's monthly quota real (§3.3). Usage plans meter API keys, and Twilio/Mailgun cannot send one, so:
 * the API takes its key from this REQUEST authorizer (`apiKeySourceType: AUTHORIZER`), which returns one fixed
 * key bound to a usage plan with the quota and throttle from `src/resources.ts`.
 *
 * The key value is a metering identifier, not a credential: with the AUTHORIZER key source an `x-api-key` header
 * is ignored, so knowing the value grants nothing. It is therefore derived deterministically and passed in an
 * environment variable, keeping the authorizer free of I/O (an authorizer failure would turn every webhook
 * into a 500).
 */
export class QuotaAuthorizer extends Construct {
  readonly authorizer: RequestAuthorizer;
  readonly usagePlan: UsagePlan;
  readonly apiKey: ApiKey;
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: QuotaAuthorizerProps) {
    super(scope, id);
    const { stage } = props.config;
    const keyValue = `replies-engine-quota-${stage}-${this.node.addr.slice(0, 20)}`;

    this.function = new NodeFunction(this, 'Handler', {
      entry: QUOTA_AUTHORIZER_ENTRY,
      functionName: `replies-engine-quota-authorizer-${stage}`,
      description: 'Returns the usage-plan key so API Gateway can apply the monthly webhook quota',
      // No I/O and a few lines of code: the smallest size is plenty.
      memorySize: 128,
      timeout: Duration.seconds(3),
      environment: { [QUOTA_KEY_ENV]: keyValue },
      logRetention: props.config.logRetention,
      removalPolicy: props.config.removalPolicy,
      tracing: props.tracing,
    }).function;

    this.authorizer = new RequestAuthorizer(this, 'Authorizer', {
      authorizerName: `replies-engine-quota-${stage}`,
      handler: this.function,
      // `context.stage` never varies per caller and is always present, so there is exactly one cached result per
      // stage (a header-based source would be caller-controlled, and a missing one would be a 401).
      identitySources: [IdentitySource.context('stage')],
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });

    this.apiKey = new ApiKey(this, 'UsageKey', {
      apiKeyName: `replies-engine-webhook-quota-${stage}`,
      description: 'Usage-plan identifier returned by the quota authorizer; not a credential',
      value: keyValue,
    });

    this.usagePlan = props.api.addUsagePlan('UsagePlan', {
      name: `replies-engine-webhook-${stage}`,
      description: 'Seed §3.3 throttle and monthly quota for all webhook providers together',
      throttle: { rateLimit: LIMITS.throttleRateLimit, burstLimit: LIMITS.throttleBurstLimit },
      quota: { limit: LIMITS.monthlyQuota, period: Period.MONTH },
      apiStages: [{ api: props.api, stage: props.api.deploymentStage }],
    });
    this.usagePlan.addApiKey(this.apiKey);
  }
}
