import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, LIMITS, SES } from '../../src/resources.js';
import {
  ALL_OPTIONS_CONTEXT,
  type CfnResource,
  findByProperty,
  resourcesOfType,
  type Synthesised,
  synthWebhookStack,
} from './synth.js';

const SES_CONTEXT = { ...ALL_OPTIONS_CONTEXT, sesDomain: 'mail.example.com' };

/** A policy document (matched) with a statement like `statement` among others. */
function statementLike(statement: Record<string, unknown>) {
  return { Statement: Match.arrayWith([Match.objectLike(statement)]) };
}

/** `template` has a `type` policy resource with a statement like `statement`. */
function hasStatement(template: Template, type: string, statement: Record<string, unknown>): void {
  template.hasResourceProperties(type, { PolicyDocument: statementLike(statement) });
}

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

  it('is absent with -c sesDomain=none (the committed prod has it)', () => {
    const { template, dataTemplate } = synthWebhookStack({
      context: { ...ALL_OPTIONS_CONTEXT, sesDomain: 'none' },
    });
    dataTemplate.resourceCountIs('AWS::SQS::Queue', 8);
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    template.resourceCountIs('AWS::SES::ReceiptRule', 0);
    expect(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'https' } })).toEqual(
      {},
    );
  });

  it('an inbound bucket (stateful stack): private, TLS only, encrypted, expiring, named for account and region', () => {
    synthesised.dataTemplate.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'replies-engine-ses-inbound-123456789012-eu-west-1-prod',
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

  it('SES may put objects under the prefix, only for this account and rule set', () => {
    hasStatement(synthesised.dataTemplate, 'AWS::S3::BucketPolicy', {
      Action: 's3:PutObject',
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: {
          'aws:SourceArn':
            'arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/replies-inbound-prod:receipt-rule/*',
        },
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
    hasStatement(synthesised.template, 'AWS::SNS::TopicPolicy', {
      Action: 'sns:Publish',
      Principal: { Service: 'ses.amazonaws.com' },
      Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '123456789012' } }),
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
          [ENV.sesInboundBucket]: 'replies-engine-ses-inbound-123456789012-eu-west-1-prod',
        }),
      },
    });
  });

  it('the subscription parks what SNS gives up on in the encrypted DLQ and stays under the stage throttle', () => {
    const subscription = resourcesOfType(synthesised.template, 'AWS::SNS::Subscription').find(
      ([, r]) => r.Properties?.Protocol === 'https',
    )?.[1];
    expect(subscription?.Properties?.RedrivePolicy).toEqual({
      deadLetterTargetArn: `arn:aws:sqs:eu-west-1:123456789012:${SES.notificationDeadLetterQueueName}-prod`,
    });
    const policy = subscription?.Properties?.DeliveryPolicy as
      | { throttlePolicy?: { maxReceivesPerSecond?: number } }
      | undefined;
    const throttle = policy?.throttlePolicy;
    expect(throttle?.maxReceivesPerSecond).toBe(SES.snsMaxReceivesPerSecond);
    expect(SES.snsMaxReceivesPerSecond).toBeLessThan(LIMITS.throttleRateLimit);
    // The queue, in the stateful stack: KMS-encrypted with a rotated customer key SNS may use, for this topic only.
    const dlq = findByProperty(
      synthesised.dataTemplate,
      'AWS::SQS::Queue',
      'QueueName',
      `${SES.notificationDeadLetterQueueName}-prod`,
    );
    const keyId = (dlq.props.KmsMasterKeyId as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const key = resourcesOfType(synthesised.dataTemplate, 'AWS::KMS::Key').find(([id]) => id === keyId)?.[1];
    expect(key?.Properties?.EnableKeyRotation).toBe(true);
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:replies-engine-ses-inbound-prod';
    expect(JSON.stringify(key?.Properties?.KeyPolicy)).toContain(topicArn);
    synthesised.dataTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlq.id }],
      PolicyDocument: statementLike({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      }),
    });
    // The topic has exactly the name the queue policy trusts.
    synthesised.template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'replies-engine-ses-inbound-prod',
    });
  });

  it('the subscription is created after the stage, the /email method with its invoke permission, and the domain', () => {
    const [[, subscription]] = resourcesOfType(synthesised.template, 'AWS::SNS::Subscription').filter(
      ([, r]) => r.Properties?.Protocol === 'https',
    ) as [[string, CfnResource & { DependsOn?: string[] }]];
    const dependsOn = subscription.DependsOn ?? [];
    const [[stageId]] = resourcesOfType(synthesised.template, 'AWS::ApiGateway::Stage') as unknown as [
      [string],
    ];
    const [[mappingId]] = resourcesOfType(
      synthesised.template,
      'AWS::ApiGateway::BasePathMapping',
    ) as unknown as [[string]];
    const emailPermissions = resourcesOfType(synthesised.template, 'AWS::Lambda::Permission')
      .filter(([, p]) => JSON.stringify(p.Properties?.SourceArn).includes('/POST/email'))
      .map(([id]) => id);
    expect(emailPermissions.length).toBeGreaterThan(0);
    expect(dependsOn).toEqual(expect.arrayContaining([stageId, mappingId, ...emailPermissions]));
  });

  it('first deploy (-c phase=first, before DNS): everything but the subscription, which SNS could not confirm', () => {
    const first = synthWebhookStack({ context: { ...SES_CONTEXT, phase: 'first' } });
    first.template.resourceCountIs('AWS::SES::ReceiptRule', 1);
    first.template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'replies-engine-ses-inbound-prod' });
    expect(
      resourcesOfType(first.template, 'AWS::SNS::Subscription').filter(
        ([, r]) => r.Properties?.Protocol === 'https',
      ),
    ).toEqual([]);
  });

  it('without a custom domain the subscription targets the execute-api URL and still waits for stage and permission', () => {
    const dev = synthWebhookStack({ context: { sesDomain: 'mail.example.com' } });
    const [[, subscription]] = resourcesOfType(dev.template, 'AWS::SNS::Subscription').filter(
      ([, r]) => r.Properties?.Protocol === 'https',
    ) as [[string, CfnResource & { DependsOn?: string[] }]];
    expect(JSON.stringify(subscription.Properties?.Endpoint)).toContain('.execute-api.');
    expect(JSON.stringify(subscription.Properties?.Endpoint)).toContain('/dev/email');
    const [[stageId]] = resourcesOfType(dev.template, 'AWS::ApiGateway::Stage') as unknown as [[string]];
    expect(subscription.DependsOn).toContain(stageId);
    expect(
      resourcesOfType(dev.template, 'AWS::Lambda::Permission').some(
        ([id, p]) =>
          JSON.stringify(p.Properties?.SourceArn).includes('/POST/email') &&
          subscription.DependsOn?.includes(id),
      ),
    ).toBe(true);
  });

  it('alarms on failed notifications and on the DLQ; SES and SNS delivery on the dashboard', () => {
    const alarm = (name: string) =>
      findByProperty(
        synthesised.template,
        'AWS::CloudWatch::Alarm',
        'AlarmName',
        `replies-engine-webhook-prod-${name}`,
      ).props;
    expect(alarm('SesNotificationsFailed')).toMatchObject({
      Namespace: 'AWS/SNS',
      MetricName: 'NumberOfNotificationsFailed',
      Dimensions: [
        { Name: 'TopicName', Value: { 'Fn::GetAtt': [expect.stringMatching(/InboundTopic/), 'TopicName'] } },
      ],
    });
    expect(alarm('SesNotificationDlqNotEmpty')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: `${SES.notificationDeadLetterQueueName}-prod` }],
      Threshold: 0,
    });
    const [[, dashboard]] = resourcesOfType(synthesised.template, 'AWS::CloudWatch::Dashboard') as [
      [string, CfnResource],
    ];
    const body = JSON.stringify(dashboard.Properties?.DashboardBody);
    for (const text of [
      'SES inbound',
      'NumberOfNotificationsFailed',
      'NumberOfNotificationsRedrivenToDlq',
      'SES notification DLQ',
    ])
      expect(body).toContain(text);
  });

  it('refuses a malformed domain', () => {
    expect(() =>
      synthWebhookStack({ context: { ...ALL_OPTIONS_CONTEXT, sesDomain: 'Mail Example' } }),
    ).toThrow(/sesDomain/);
  });
});
