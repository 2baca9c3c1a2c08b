import type { App } from 'aws-cdk-lib';
import { API_GATEWAY_ACCOUNT_STACK_NAME, ApiGatewayAccountStack } from './api-gateway-account-stack.js';
import { DataStack, dataStackName } from './data-stack.js';
import type { DeployOptions } from './stage-config.js';
import { WebhookStack, webhookStackName } from './webhook-stack.js';

export interface StageStacks {
  readonly data: DataStack;
  readonly webhook: WebhookStack;
  readonly account?: ApiGatewayAccountStack;
}

/**
 * Every stack of one stage, in deploy order: the account's API Gateway logging role (when this stage manages it),
 * the stateful data stack, then the stateless webhook stack. All pinned to the stage's account and region.
 */
export function addStageStacks(app: App, options: DeployOptions, handlerEntry?: string): StageStacks {
  const stage = options.config.stage;
  const env =
    options.account || options.region
      ? {
          ...(options.account ? { account: options.account } : {}),
          ...(options.region ? { region: options.region } : {}),
        }
      : undefined;
  const pinned = env ? { env } : {};
  const account = options.manageApiGatewayAccount
    ? new ApiGatewayAccountStack(app, API_GATEWAY_ACCOUNT_STACK_NAME, {
        ...pinned,
        stackName: API_GATEWAY_ACCOUNT_STACK_NAME,
        description:
          'Replies engine: the account-wide API Gateway CloudWatch logging role (once per account/region)',
      })
    : undefined;
  const data = new DataStack(app, dataStackName(stage), {
    ...pinned,
    stackName: dataStackName(stage),
    description: `Replies engine webhook gateway (${stage}), stateful: DynamoDB tables, SQS queues, S3 buckets`,
    options,
  });
  const webhook = new WebhookStack(app, webhookStackName(stage), {
    ...pinned,
    stackName: webhookStackName(stage),
    description: `Replies engine webhook gateway (${stage}), stateless: API, function, SES rules, alarms`,
    options,
    ...(handlerEntry ? { handlerEntry } : {}),
  });
  webhook.addStackDependency(data);
  if (account) webhook.addStackDependency(account);
  return { data, webhook, ...(account ? { account } : {}) };
}
