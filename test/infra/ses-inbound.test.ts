import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, SES } from '../../src/resources.js';
import { ALL_OPTIONS_CONTEXT, type Synthesised, synthAllOptions, synthWebhookStack } from './synth.js';

const SES_CONTEXT = { ...ALL_OPTIONS_CONTEXT, sesDomain: 'mail.example.com' };

describe('SES inbound (opt-in with -c sesDomain)', () => {
  let synthesised: Synthesised;
  beforeAll(() => {
    // cdk-nag as a validation plugin: synthesis throws on any unacknowledged error.
    synthesised = synthWebhookStack({ context: SES_CONTEXT, nag: true });
  });

  it('is cdk-nag clean with the context on', () => {
    const report = new AwsSolutionsChecks().validateScope(synthesised.app);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
  });

  it('is absent without the context', () => {
    const { template } = synthAllOptions();
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    template.resourceCountIs('AWS::SES::ReceiptRule', 0);
    expect(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'https' } })).toEqual(
      {},
    );
  });

  it('an inbound bucket: private, TLS only, encrypted, expiring', () => {
    synthesised.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ ExpirationInDays: SES.inboundRetentionDays, Status: 'Enabled' })],
      },
    });
  });

  it('SES may put objects under the prefix, only for this account', () => {
    synthesised.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:PutObject',
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('an encrypted topic (signature version 2) with an HTTPS subscription to /email', () => {
    synthesised.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
      SignatureVersion: '2',
      DisplayName: Match.stringLikeRegexp('SES inbound'),
    });
    synthesised.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://hooks.example.com/email',
    });
  });

  it("retries deliveries for about 50 minutes, not SNS's default 3 × 20 s (and within its 3,600 s limit)", () => {
    const subscriptions = synthesised.template.findResources('AWS::SNS::Subscription', {
      Properties: { Protocol: 'https' },
    });
    const properties = Object.values(subscriptions)[0]?.Properties as {
      DeliveryPolicy?: { healthyRetryPolicy?: Record<string, number | string> };
    };
    const policy = properties.DeliveryPolicy?.healthyRetryPolicy ?? {};
    expect(policy).toMatchObject({ numRetries: 60, backoffFunction: 'EXPONENTIAL' });
    const n = (name: string) => Number(policy[name] ?? Number.NaN);
    const backoffRetries = n('numRetries') - n('numMinDelayRetries') - n('numMaxDelayRetries');
    // Upper bound: every backoff retry at the maximum delay.
    const worstSeconds =
      n('numMinDelayRetries') * n('minDelayTarget') +
      (backoffRetries + n('numMaxDelayRetries')) * n('maxDelayTarget');
    expect(worstSeconds).toBeLessThanOrEqual(3_600);
    expect(worstSeconds).toBeGreaterThan(30 * 60);
  });

  it('topic policy: only SES of this account publishes', () => {
    synthesised.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });

  it('a receipt rule set and rule: the domain, scanning on, S3 action notifying the topic', () => {
    synthesised.template.hasResourceProperties('AWS::SES::ReceiptRuleSet', {
      RuleSetName: 'replies-inbound-prod',
    });
    synthesised.template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Enabled: true,
        Recipients: ['mail.example.com'],
        ScanEnabled: true,
        Actions: [
          {
            S3Action: {
              BucketName: Match.anyValue(),
              ObjectKeyPrefix: SES.inboundObjectKeyPrefix,
              TopicArn: Match.anyValue(),
            },
          },
        ],
      }),
    });
  });

  it('the function: GetObject on the inbound prefix only, SendEmail as the domain, and its env', () => {
    const policies = synthesised.template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (policy) =>
        (policy.Properties as { PolicyDocument: { Statement: Array<Record<string, unknown>> } })
          .PolicyDocument.Statement,
    );
    // The only read in S3: the attachments bucket's statement grants writes under its own prefix only.
    const s3 = statements.filter((s) => JSON.stringify(s.Action).includes('s3:Get'));
    expect(s3).toHaveLength(1);
    expect(s3[0]?.Action).toBe('s3:GetObject');
    expect(JSON.stringify(s3[0]?.Resource)).toContain(`/${SES.inboundObjectKeyPrefix}*`);
    const sendEmail = statements.find((s) => s.Action === 'ses:SendEmail');
    expect(JSON.stringify(sendEmail?.Resource)).toContain(':identity/mail.example.com');

    synthesised.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'IncomingWebhookHandler-prod',
      Environment: {
        Variables: Match.objectLike({
          [ENV.sesTopicArns]: { Ref: Match.stringLikeRegexp('InboundTopic') },
          [ENV.sesInboundBucket]: { Ref: Match.stringLikeRegexp('InboundBucket') },
        }),
      },
    });
  });

  it('refuses a malformed domain', () => {
    expect(() =>
      synthWebhookStack({ context: { ...ALL_OPTIONS_CONTEXT, sesDomain: 'Mail Example' } }),
    ).toThrow(/sesDomain/);
  });
});
