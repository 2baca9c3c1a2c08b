import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_GATEWAY_ACCOUNT_STACK_NAME } from '../../infra/api-gateway-account-stack.js';
import { dataStackName } from '../../infra/data-stack.js';
import { SES_RECEIVING_REGIONS } from '../../infra/region-rules.js';
import { readDeployOptions } from '../../infra/stage-config.js';
import { STAGE_DEPLOYMENTS } from '../../infra/stages.js';
import { webhookStackName } from '../../infra/webhook-stack.js';
import { ENV, HEARTBEAT, OBSERVABILITY } from '../../src/resources.js';
import {
  type CfnResource,
  findByProperty,
  handlerMetric,
  resourcesOfType,
  synthWebhookStack,
} from './synth.js';

/** `npm run synth -- -c stage=prod`: the committed file, no other context. */
const prod = synthWebhookStack({ context: { stage: 'prod' } });
const parse = (context: Record<string, string>) => readDeployOptions(new App({ context }).node);

describe('per-stage configuration committed in infra/stages.ts', () => {
  it('prod synthesises its full live shape from the committed file alone: domain, WAF, SES with its subscription, heartbeat', () => {
    const { template } = prod;
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: STAGE_DEPLOYMENTS.prod.customDomain.domainName,
      RegionalCertificateArn: STAGE_DEPLOYMENTS.prod.customDomain.certificateArn,
    });
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::SES::ReceiptRule', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: `https://${STAGE_DEPLOYMENTS.prod.customDomain.domainName}/email`,
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: STAGE_DEPLOYMENTS.prod.alarmEmail,
    });
    template.resourceCountIs('AWS::Events::Rule', 1);
    const fn = findByProperty(
      template,
      'AWS::Lambda::Function',
      'FunctionName',
      'IncomingWebhookHandler-prod',
    );
    const env = (fn.props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV.monthlyQuota]).toBe(String(STAGE_DEPLOYMENTS.prod.monthlyQuota));
    expect(env[ENV.webhookBaseUrl]).toBe(`https://${STAGE_DEPLOYMENTS.prod.customDomain.domainName}`);
  });

  it('every stack is pinned to the committed account and region', () => {
    for (const stack of [prod.stack, prod.data, prod.account]) {
      expect(stack?.account).toBe(STAGE_DEPLOYMENTS.prod.account);
      expect(stack?.region).toBe(STAGE_DEPLOYMENTS.prod.region);
    }
    expect(prod.stack.stackName).toBe(webhookStackName('prod'));
    expect(prod.data.stackName).toBe(dataStackName('prod'));
    // dev commits neither: it deploys where the developer's credentials point.
    expect(parse({})).not.toHaveProperty('account');
  });

  it.each([
    ['account', { account: 'none' }],
    ['region', { region: 'none' }],
    ['customDomain', { domainName: 'none' }],
    ['alarmEmail', { alarmEmail: 'none' }],
  ])('a prod synth without %s fails naming it', (name, context) => {
    expect(() => parse({ stage: 'prod', ...context })).toThrow(
      new RegExp(`missing required setting "${name}"`),
    );
  });

  it('refuses malformed values with the setting named, and a certificate from another region', () => {
    expect(() => parse({ stage: 'prod', account: '1234' })).toThrow(
      /account: must be a 12-digit AWS account id/,
    );
    expect(() => parse({ stage: 'prod', alarmEmail: 'ops' })).toThrow(
      /alarmEmail: must be an e-mail address/,
    );
    expect(() => parse({ stage: 'prod', region: 'us-east-1' })).toThrow(/certificate is in eu-west-1/);
    expect(() => parse({ stage: 'prod', phase: 'second' })).toThrow(/"phase" must be first or live/);
  });

  it('-c still overrides a committed value for an experiment', () => {
    const options = parse({ stage: 'prod', enableWaf: 'false', sesDomain: 'none', monthlyQuota: '1000' });
    expect(options).toMatchObject({ enableWaf: false, monthlyQuota: 1000, phase: 'live' });
    expect(options.sesDomain).toBeUndefined();
    expect(parse({ stage: 'prod' })).toMatchObject({ enableWaf: true, sesDomain: 'mail.example.com' });
  });
});

describe('stateful and stateless stacks', () => {
  const types = (template: typeof prod.template) =>
    new Set(Object.values(template.toJSON().Resources as Record<string, CfnResource>).map((r) => r.Type));

  it('tables, queues and buckets in the stateful stack (termination-protected in prod); none in the stateless one', () => {
    expect(prod.data.terminationProtection).toBe(true);
    expect(prod.stack.terminationProtection).toBe(false);
    for (const type of ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::S3::Bucket']) {
      expect(types(prod.dataTemplate).has(type), type).toBe(true);
      expect(types(prod.template).has(type), type).toBe(false);
    }
    for (const type of [
      'AWS::ApiGateway::RestApi',
      'AWS::ApiGateway::DomainName',
      'AWS::WAFv2::WebACL',
      'AWS::SES::ReceiptRule',
      'AWS::SNS::Subscription',
      'AWS::Lambda::Function',
    ]) {
      expect(types(prod.template).has(type), type).toBe(true);
      expect(types(prod.dataTemplate).has(type), type).toBe(false);
    }
  });

  it('the stateless stack can always roll back: no deletion protection, no cross-stack import, deploys after data', () => {
    expect(JSON.stringify(prod.template.toJSON())).not.toMatch(
      /DeletionProtection|Fn::ImportValue|GetStackOutput/,
    );
    expect(prod.stack.dependencies.map((s) => s.stackName).sort()).toEqual(
      [API_GATEWAY_ACCOUNT_STACK_NAME, dataStackName('prod')].sort(),
    );
  });

  it('first deploy (-c phase=first): tables not yet deletion-protected, so a failed create rolls back cleanly', () => {
    const first = synthWebhookStack({ context: { stage: 'prod', phase: 'first' } });
    expect(first.data.terminationProtection).toBe(false);
    for (const [, table] of resourcesOfType(first.dataTemplate, 'AWS::DynamoDB::Table')) {
      expect(table.Properties?.DeletionProtectionEnabled).toBe(false);
      expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
    }
    for (const [, table] of resourcesOfType(prod.dataTemplate, 'AWS::DynamoDB::Table'))
      expect(table.Properties?.DeletionProtectionEnabled).toBe(true);
    // Nothing that calls the public URL before DNS exists.
    first.template.resourceCountIs('AWS::Events::Rule', 0);
    expect(
      resourcesOfType(first.template, 'AWS::SNS::Subscription').map(([, s]) => s.Properties?.Protocol),
    ).toEqual(['email']);
  });
});

describe('account-wide API Gateway role and region rules', () => {
  it('the CloudWatch role lives in its own account stack, deployed by the one stage that manages it', () => {
    expect(prod.account).toBeDefined();
    expect(synthWebhookStack({ context: { stage: 'staging' } }).account).toBeUndefined();
    for (const template of [prod.template, prod.dataTemplate])
      template.resourceCountIs('AWS::ApiGateway::Account', 0);
    const accountTemplate = JSON.stringify(
      (prod.app.synth().getStackByName(API_GATEWAY_ACCOUNT_STACK_NAME).template as object) ?? {},
    );
    expect(accountTemplate).toContain('AWS::ApiGateway::Account');
    expect(accountTemplate).toContain('AmazonAPIGatewayPushToCloudWatchLogs');
  });

  it('template Rules fail a deploy where the certificate or SES receiving cannot work', () => {
    const rules = prod.template.toJSON().Rules as Record<string, { Assertions: { Assert: unknown }[] }>;
    expect(rules.CertificateInDeployRegion?.Assertions[0]?.Assert).toEqual({
      'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'],
    });
    expect(rules.SesReceivingRegion?.Assertions[0]?.Assert).toEqual({
      'Fn::Contains': [[...SES_RECEIVING_REGIONS], { Ref: 'AWS::Region' }],
    });
    const dev = synthWebhookStack();
    expect(dev.template.toJSON().Rules ?? {}).not.toHaveProperty('SesReceivingRegion');
  });
});

describe('WAF on by default in prod, with logging', () => {
  it('a web ACL logging to aws-waf-logs-…, signature header redacted', () => {
    const acl = resourcesOfType(prod.template, 'AWS::WAFv2::WebACL')[0]?.[0] ?? '';
    prod.template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [acl, 'Arn'] },
      LogDestinationConfigs: [Match.anyValue()],
      RedactedFields: [{ SingleHeader: { Name: 'x-twilio-signature' } }],
    });
    prod.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: 'aws-waf-logs-replies-engine-webhook-prod',
    });
  });
});

describe('heartbeat', () => {
  it('EventBridge invokes a function that posts to the public URL every few minutes, with only its secret', () => {
    const { template } = prod;
    const sender = findByProperty(template, 'AWS::Lambda::Function', 'FunctionName', 'ReplyHeartbeat-prod');
    const env = (sender.props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV.heartbeatUrl]).toBe(`https://hooks.example.com${HEARTBEAT.route}`);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${HEARTBEAT.intervalMinutes} minutes)`,
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [sender.id, 'Arn'] } })],
    });
    const roleId = (sender.props.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const statements = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties?.Roles).includes(roleId))
      .flatMap(([, p]) => {
        const document = p.Properties?.PolicyDocument as { Statement: { Action: unknown }[] } | undefined;
        return document?.Statement ?? [];
      });
    // Its log group, its one secret, and X-Ray (prod traces).
    expect(statements.map((s) => JSON.stringify(s.Action)).sort()).toEqual(
      [
        '"secretsmanager:GetSecretValue"',
        '["logs:CreateLogStream","logs:PutLogEvents"]',
        '["xray:PutTelemetryRecords","xray:PutTraceSegments"]',
      ].sort(),
    );
    expect(JSON.stringify(statements)).toContain(`:secret:${HEARTBEAT.secretName}-??????`);
  });

  it('the schedule starts only once the public URL can answer', () => {
    const [[, rule]] = resourcesOfType(prod.template, 'AWS::Events::Rule') as unknown as [
      [string, CfnResource & { DependsOn?: string[] }],
    ];
    const [[stageId]] = resourcesOfType(prod.template, 'AWS::ApiGateway::Stage') as unknown as [[string]];
    const [[mappingId]] = resourcesOfType(prod.template, 'AWS::ApiGateway::BasePathMapping') as unknown as [
      [string],
    ];
    expect(rule.DependsOn).toEqual(expect.arrayContaining([stageId, mappingId]));
  });

  it('an alarm treats missing heartbeat data as breaching', () => {
    const alarm = findByProperty(
      prod.template,
      'AWS::CloudWatch::Alarm',
      'AlarmName',
      'replies-engine-webhook-prod-HeartbeatMissing',
    ).props;
    expect(alarm).toMatchObject({
      ...handlerMetric(OBSERVABILITY.metrics.heartbeat, 'prod'),
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      EvaluationPeriods: 2,
    });
    // One period always spans at least one tick of the schedule.
    expect(alarm.Period as number).toBeGreaterThan(HEARTBEAT.intervalMinutes * 60);
  });
});
