import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { MAILGUN_API_HOSTS } from '../src/domain/mailgun-api-host.js';
import {
  ENV,
  OBSERVABILITY,
  QUEUE_URL_ENV,
  type QueueKey,
  SECRET_NAME_PREFIXES,
  TABLE_NAME_ENV,
  type TableKey,
} from '../src/resources.js';
import { nagResource } from './bucket-names.js';
import { NodeFunction } from './node-function.js';
import { WEBHOOK_HANDLER_ENTRY } from './paths.js';
import { type StageConfig, WEBHOOK_TIMEOUT } from './stage-config.js';
import type { QueueRefs } from './stage-resources.js';

export interface WebhookFunctionProps {
  readonly config: StageConfig;
  readonly tables: Record<TableKey, ITable>;
  readonly queues: Record<QueueKey, QueueRefs>;
  readonly corsAllowOrigin: string;
  /** Verified webhooks a month before 429 (the stage's committed quota). */
  readonly monthlyQuota: number;
  /** Canonical public base URL (custom domain). Unset: the handler uses `https://` + Host + requestContext.path. */
  readonly webhookBaseUrl?: string;
  readonly tracing: boolean;
  /** Overrides the handler entry (tests only). */
  readonly entry?: string;
}

/**
 * Exact DynamoDB actions per table, matching the adapters in `src/adapters/aws/` (registry GetItem; conversations
 * Query/GetItem/UpdateItem; ledger and replay guard conditional PutItem, DeleteItem to release a claim; the
 * monthly counter of verified webhooks, an atomic UpdateItem ADD on one item per month of the idempotency table).
 * No Scan, no batch writes, no table-level actions; `test/infra/granted-actions.test.ts` pins each to its caller.
 */
const TABLE_ACTIONS: Record<TableKey, readonly string[]> = {
  companyChannels: ['dynamodb:GetItem'],
  conversations: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  fallbackLedger: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
  idempotency: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
};

/** `IncomingWebhookHandler` (seed §5.1): the one function behind every POST route. */
export class WebhookFunction extends Construct {
  readonly handler: NodeFunction;
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: WebhookFunctionProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);

    const environment: Record<string, string> = {
      [ENV.stage]: config.stage,
      [ENV.corsAllowOrigin]: props.corsAllowOrigin,
      [ENV.powertoolsServiceName]: OBSERVABILITY.serviceName,
      [ENV.powertoolsMetricsNamespace]: OBSERVABILITY.metricsNamespace,
      [ENV.logLevel]: config.logLevel,
      [ENV.monthlyQuota]: String(props.monthlyQuota),
      // Explicit, not the code's defaults: each tenant's entry picks one (registry `mailgun_api_host`).
      [ENV.mailgunApiBaseUrl]: `https://${MAILGUN_API_HOSTS[0]}`,
      [ENV.mailgunEuApiBaseUrl]: `https://${MAILGUN_API_HOSTS[1]}`,
      ...(props.webhookBaseUrl ? { [ENV.webhookBaseUrl]: props.webhookBaseUrl } : {}),
    };
    for (const key of Object.keys(props.tables) as TableKey[]) {
      environment[TABLE_NAME_ENV[key]] = props.tables[key].tableName;
    }
    for (const key of Object.keys(props.queues) as QueueKey[]) {
      environment[QUEUE_URL_ENV[key]] = props.queues[key].queue.queueUrl;
    }

    this.handler = new NodeFunction(this, 'IncomingWebhookHandler', {
      entry: props.entry ?? WEBHOOK_HANDLER_ENTRY,
      functionName: `IncomingWebhookHandler-${config.stage}`,
      description: 'Verifies Twilio/Mailgun webhooks and routes each reply to SQS (seed §4-5)',
      memorySize: config.webhookMemoryMb,
      timeout: WEBHOOK_TIMEOUT,
      environment,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      tracing: props.tracing,
    });
    this.function = this.handler.function;
    const role = this.handler.role;

    // Base tables only: the gateway never reads the conversation_status index (consumers do).
    for (const key of Object.keys(props.tables) as TableKey[]) {
      role.addToPolicy(
        new PolicyStatement({ actions: [...TABLE_ACTIONS[key]], resources: [props.tables[key].tableArn] }),
      );
    }
    role.addToPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: Object.values(props.queues).map((pair) => pair.queue.queueArn),
      }),
    );

    // One ARN pattern per credentials prefix; Secrets Manager appends a random 6-character suffix to every ARN.
    const secretArns = SECRET_NAME_PREFIXES.map((prefix) =>
      stack.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${prefix}*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    role.addToPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secretArns }),
    );
    for (const [index, prefix] of SECRET_NAME_PREFIXES.entries()) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource(stack, secretArns[index] ?? '')}]`,
        reason:
          `Company credentials are created per company and project after deployment (${prefix}<company>/<project>/` +
          '<provider>, seed §5.3); the wildcard is limited to GetSecretValue on that one naming prefix.',
      });
    }
  }
}
