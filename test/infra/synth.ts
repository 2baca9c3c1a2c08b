import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ApiGatewayAccountStack } from '../../infra/api-gateway-account-stack.js';
import { addStageStacks } from '../../infra/app-stacks.js';
import type { DataStack } from '../../infra/data-stack.js';
import { REPO_ROOT } from '../../infra/paths.js';
import { readDeployOptions } from '../../infra/stage-config.js';
import type { WebhookStack } from '../../infra/webhook-stack.js';
import { OBSERVABILITY } from '../../src/resources.js';

export interface SynthOptions {
  /** CDK context, as `-c key=value` would set it. */
  readonly context?: Record<string, string>;
  /** Run esbuild for real (slow); by default asset bundling is skipped. */
  readonly bundle?: boolean;
  readonly nag?: boolean;
  /**
   * CDK's built-in CloudFormation schema/rule validation (what `npm run synth` runs). It costs 10-25 s of CPU per
   * synth on this machine, so the tests leave it off; `npm run synth` keeps it on.
   */
  readonly cfnValidation?: boolean;
}

export interface Synthesised {
  readonly app: App;
  /** The stateless stack (API, function, alarms…) and its template. */
  readonly stack: WebhookStack;
  readonly template: Template;
  /** The stateful stack (tables, queues, buckets) and its template. */
  readonly data: DataStack;
  readonly dataTemplate: Template;
  /** The account's API Gateway logging role stack, when the stage manages it. */
  readonly account?: ApiGatewayAccountStack;
}

/** The context `cdk.json` gives every `cdk synth`/`deploy` (the pinned feature flags). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: object };
  return { ...cdkJson.context };
}

/**
 * Builds the stack exactly as `infra/app.ts` under the CDK CLI does (cdk.json's feature flags included), optionally
 * with cdk-nag, and returns its template.
 */
export function synthWebhookStack(options: SynthOptions = {}): Synthesised {
  const app = new App({
    builtinCloudFormationValidation: options.cfnValidation ?? false,
    context: {
      ...cdkJsonContext(),
      ...options.context,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const deployOptions = readDeployOptions(app.node);
  const stacks = addStageStacks(app, deployOptions);
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const template = Template.fromStack(stacks.webhook);
  const dataTemplate = Template.fromStack(stacks.data);
  return {
    app,
    stack: stacks.webhook,
    template,
    data: stacks.data,
    dataTemplate,
    ...(stacks.account ? { account: stacks.account } : {}),
  };
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** Every resource of one CloudFormation type, keyed by logical id. */
export function resourcesOfType(template: Template, type: string): [string, CfnResource][] {
  const resources = (template.toJSON() as { Resources: Record<string, CfnResource> }).Resources;
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** Properties of the single resource of `type` whose `key` property equals `value`. */
export function findByProperty(
  template: Template,
  type: string,
  key: string,
  value: unknown,
): { id: string; resource: CfnResource; props: Record<string, unknown> } {
  const matches = resourcesOfType(template, type).filter(([, r]) => r.Properties?.[key] === value);
  const [match] = matches;
  if (matches.length !== 1 || !match) {
    throw new Error(`Expected one ${type} with ${key}=${String(value)}, found ${matches.length}`);
  }
  return { id: match[0], resource: match[1], props: match[1].Properties ?? {} };
}

/** The property that holds the name of each resource type the stack names. */
const NAME_PROPERTY = {
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SQS::Queue': 'QueueName',
} as const;

/** The single resource of `type` named `name` (its AlarmName, FunctionName, QueueName…). */
export function findNamed(template: Template, type: keyof typeof NAME_PROPERTY, name: string) {
  return findByProperty(template, type, NAME_PROPERTY[type], name);
}

/** `{ "Fn::GetAtt": [id, "Arn"] }` and `{ Ref: id }` helpers for comparing references. */
export const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
export const ref = (id: string) => ({ Ref: id });

/** Context that switches every optional feature on (prod, WAF, custom domain, e-mail, tracing). */
export const ALL_OPTIONS_CONTEXT: Record<string, string> = {
  stage: 'prod',
  enableWaf: 'true',
  enableTracing: 'true',
  alarmEmail: 'ops@example.com',
  domainName: 'hooks.example.com',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
  corsAllowOrigin: 'https://console.example.com',
};

/** prod with every optional feature (`ALL_OPTIONS_CONTEXT`), as an operator reviewing a full deployment sees it. */
export function synthAllOptions(): Synthesised {
  return synthWebhookStack({ context: ALL_OPTIONS_CONTEXT });
}

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every statement of every `AWS::IAM::Policy` in the template. */
export function policyStatements(template: Template): PolicyStatement[] {
  return resourcesOfType(template, 'AWS::IAM::Policy').flatMap(([, policy]) => {
    const document = policy.Properties?.PolicyDocument as { Statement: PolicyStatement[] } | undefined;
    return document?.Statement ?? [];
  });
}

/** The namespace, name and dimensions an alarm on one of the handler's metrics carries. */
export function handlerMetric(metricName: string, stage: string): Record<string, unknown> {
  return {
    Namespace: OBSERVABILITY.metricsNamespace,
    MetricName: metricName,
    Dimensions: [
      { Name: 'service', Value: OBSERVABILITY.serviceName },
      { Name: 'stage', Value: stage },
    ],
  };
}
