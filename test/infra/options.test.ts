import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readDeployOptions } from '../../infra/stage-config.js';
import { ENV } from '../../src/resources.js';
import {
  ALL_OPTIONS_CONTEXT,
  findByProperty,
  policyStatements,
  resourcesOfType,
  synthAllOptions,
} from './synth.js';

/** prod with every optional feature: WAF, custom domain, e-mail alarms, tracing, a specific CORS origin. */
const prod = synthAllOptions();

const ORIGIN = ALL_OPTIONS_CONTEXT.corsAllowOrigin;

describe('prod stage', () => {
  it('retains (except on a rolled-back create) and deletion-protects tables, retains queues and logs', () => {
    const tables = resourcesOfType(prod.dataTemplate, 'AWS::DynamoDB::Table');
    expect(tables.length).toBeGreaterThan(0);
    for (const [, table] of tables) {
      expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(table.Properties?.DeletionProtectionEnabled).toBe(true);
    }
    const queues = resourcesOfType(prod.dataTemplate, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const [, queue] of queues) expect(queue.DeletionPolicy).toBe('RetainExceptOnCreate');
    for (const [, group] of resourcesOfType(prod.template, 'AWS::Logs::LogGroup')) {
      expect(group.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(group.Properties?.RetentionInDays).toBe(90);
    }
  });

  it('512 MB handler named for the stage, canonical URL and CORS origin from context', () => {
    const { props } = findByProperty(
      prod.template,
      'AWS::Lambda::Function',
      'FunctionName',
      'IncomingWebhookHandler-prod',
    );
    expect(props.MemorySize).toBe(512);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV.webhookBaseUrl]).toBe('https://hooks.example.com');
    expect(env[ENV.corsAllowOrigin]).toBe(ORIGIN);
    expect(env[ENV.logLevel]).toBe('INFO');
  });

  it('the CORS origin reaches preflights and gateway responses', () => {
    prod.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      Integration: Match.objectLike({
        IntegrationResponses: [
          Match.objectLike({
            ResponseParameters: Match.objectLike({
              'method.response.header.Access-Control-Allow-Origin': `'${ORIGIN}'`,
              // A specific origin must be marked as varying per request.
              'method.response.header.Vary': "'Origin'",
            }),
          }),
        ],
      }),
    });
    for (const [, response] of resourcesOfType(prod.template, 'AWS::ApiGateway::GatewayResponse')) {
      expect(response.Properties?.ResponseParameters).toEqual({
        'gatewayresponse.header.Access-Control-Allow-Origin': `'${ORIGIN}'`,
      });
    }
  });

  it('tracing is the only reason for a "*" resource, and only for X-Ray actions', () => {
    prod.template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    const wildcard = policyStatements(prod.template).filter((s) => [s.Resource].flat().includes('*'));
    expect(wildcard.length).toBeGreaterThan(0);
    for (const statement of wildcard) {
      for (const action of [statement.Action].flat()) expect(action).toMatch(/^xray:/);
    }
  });

  it('WAF: regional web ACL with the signature-header and per-IP rate rules, associated with the stage', () => {
    const { id: aclId, props: acl } = findByProperty(
      prod.template,
      'AWS::WAFv2::WebACL',
      'Name',
      'replies-engine-webhook-prod',
    );
    expect(acl).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const rules = acl.Rules as { Name: string; Action: unknown; Statement: unknown }[];
    expect(rules.map((r) => r.Name)).toEqual(['RequireTwilioSignatureHeader', 'RatePerSourceIp']);
    const headerRule = JSON.stringify(rules[0]?.Statement);
    expect(headerRule).toContain('"Name":"x-twilio-signature"');
    expect(headerRule).toContain('"SearchString":"/whatsapp"');
    expect(headerRule).toContain('"SearchString":"/sms"');
    expect(headerRule).not.toContain('/email');
    expect(rules[1]?.Statement).toEqual({ RateBasedStatement: { AggregateKeyType: 'IP', Limit: 1000 } });
    prod.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
  });

  it('custom domain: regional, TLS 1.2, mapped at the root, target exported', () => {
    prod.template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'hooks.example.com',
      RegionalCertificateArn: ALL_OPTIONS_CONTEXT.certificateArn,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    prod.template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
    prod.template.hasOutput('CustomDomainTarget', {});
    prod.template.hasOutput('whatsappWebhookUrl', { Value: 'https://hooks.example.com/whatsapp' });
  });

  it('alarm e-mail subscription from the committed configuration', () => {
    prod.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});

describe('context parsing', () => {
  const parse = (context: Record<string, string>) => readDeployOptions(new App({ context }).node);

  it('defaults to dev, no WAF, no tracing, CORS "*"', () => {
    expect(parse({})).toMatchObject({
      config: { stage: 'dev' },
      enableWaf: false,
      enableTracing: false,
      corsAllowOrigin: '*',
    });
  });

  it.each([
    [{ stage: 'qa' }, /Unknown stage "qa"/],
    [{ domainName: 'hooks.example.com' }, /must be given together/],
    [{ enableWaf: 'yes' }, /must be true or false/],
  ])('rejects %o', (context, message) => {
    expect(() => parse(context)).toThrow(message);
  });
});
