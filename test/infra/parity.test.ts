import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { attachmentKey } from '../../src/domain/attachment-key.js';
import { queuePlans, tablePlans } from '../../src/local/provision-plan.js';
import { ATTACHMENTS_BUCKET, ENV, QUEUE_URL_ENV } from '../../src/resources.js';
import { findByProperty, getAtt, resourcesOfType, type Synthesised, synthWebhookStack } from './synth.js';

/**
 * The local stack (`src/local/provision-plan.ts`) and the CDK stack are both derived from `src/resources.ts`.
 * This proves the derivations agree: what you run locally has the keys, indexes, TTL and queue attributes AWS has.
 */
const STAGE = 'dev';
const QUEUE_ENV = Object.fromEntries(
  Object.values(QUEUE_URL_ENV).map((name) => [name, 'http://127.0.0.1/q']),
);
let synthesised: Synthesised;

beforeAll(() => {
  synthesised = synthWebhookStack({ context: { stage: STAGE } });
});

const byName = <T extends { AttributeName?: string | undefined }>(items: readonly T[] | undefined): T[] =>
  [...(items ?? [])].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));

describe('tables: local plan = CloudFormation', () => {
  it.each(tablePlans().map((plan) => [plan.input.TableName, plan] as const))('%s', (localName, plan) => {
    const { props } = findByProperty(
      synthesised.dataTemplate,
      'AWS::DynamoDB::Table',
      'TableName',
      `${localName}-${STAGE}`,
    );

    expect(props.BillingMode).toBe(plan.input.BillingMode);
    expect(props.KeySchema).toEqual(plan.input.KeySchema);
    expect(byName(props.AttributeDefinitions as { AttributeName: string }[])).toEqual(
      byName(plan.input.AttributeDefinitions),
    );
    const cfnIndexes = (props.GlobalSecondaryIndexes ?? []) as Record<string, unknown>[];
    expect(
      cfnIndexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })),
    ).toEqual(plan.input.GlobalSecondaryIndexes ?? []);
    if (plan.ttlAttribute) {
      expect(props.TimeToLiveSpecification).toEqual({ AttributeName: plan.ttlAttribute, Enabled: true });
    } else {
      expect(props.TimeToLiveSpecification).toBeUndefined();
    }
  });

  it('creates exactly the tables the local stack creates', () => {
    const names = tablePlans().map((plan) => `${plan.input.TableName}-${STAGE}`);
    synthesised.dataTemplate.resourceCountIs('AWS::DynamoDB::Table', names.length);
  });
});

describe('queues: local plan = CloudFormation', () => {
  it.each(queuePlans().map((plan) => [plan.name, plan] as const))(
    '%s and its dead-letter queue',
    (name, plan) => {
      const template = synthesised.dataTemplate;
      const dlq = findByProperty(
        template,
        'AWS::SQS::Queue',
        'QueueName',
        `${plan.deadLetter.name}-${STAGE}`,
      );
      const { props } = findByProperty(template, 'AWS::SQS::Queue', 'QueueName', `${name}-${STAGE}`);

      expect(String(props.DelaySeconds)).toBe(plan.attributes.DelaySeconds);
      expect(String(props.VisibilityTimeout)).toBe(plan.attributes.VisibilityTimeout);
      expect(String(props.MessageRetentionPeriod)).toBe(plan.attributes.MessageRetentionPeriod);
      expect(props.RedrivePolicy).toEqual({
        deadLetterTargetArn: getAtt(dlq.id),
        maxReceiveCount: plan.maxReceiveCount,
      });
      expect(String(dlq.props.MessageRetentionPeriod)).toBe(
        plan.deadLetter.attributes.MessageRetentionPeriod,
      );
      // A dead-letter queue delivers immediately and has no redrive of its own, locally and in AWS.
      expect(dlq.props.DelaySeconds).toBeUndefined();
      expect(dlq.props.RedrivePolicy).toBeUndefined();
    },
  );

  it('creates exactly the queues the local stack creates', () => {
    synthesised.dataTemplate.resourceCountIs('AWS::SQS::Queue', queuePlans().length * 2);
  });
});

describe('attachments bucket: local stack = CloudFormation', () => {
  it('one bucket, expiring objects under the key prefix the adapter writes to, named by ATTACHMENTS_BUCKET', () => {
    const { template, dataTemplate } = synthesised;
    const buckets = resourcesOfType(dataTemplate, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(1);
    const [, resource] = buckets[0] as [string, { Properties?: Record<string, unknown> }];
    const lifecycle = resource.Properties?.LifecycleConfiguration as
      | { Rules: { Prefix?: string }[] }
      | undefined;
    const rules = lifecycle?.Rules ?? [];
    expect(rules.map((rule) => rule.Prefix).filter(Boolean)).toEqual([ATTACHMENTS_BUCKET.keyPrefix]);
    // The handler reads the name from the variable the function is given; locally it defaults to the local name.
    const fn = findByProperty(
      template,
      'AWS::Lambda::Function',
      'FunctionName',
      `IncomingWebhookHandler-${STAGE}`,
    );
    const variables = (fn.props.Environment as { Variables: Record<string, unknown> }).Variables;
    // Both stacks derive the bucket's deterministic name; the function is told that name.
    expect(variables[ENV.attachmentsBucket]).toEqual(resource.Properties?.BucketName);
    expect(loadConfig({ ...QUEUE_ENV }).attachmentsBucket).toBe(ATTACHMENTS_BUCKET.localName);
    // The key builder writes under the same prefix the lifecycle rule and the IAM grant name.
    expect(
      attachmentKey({
        prefix: ATTACHMENTS_BUCKET.keyPrefix,
        attempt: '0123456789abcdef',
        companyId: 'c',
        conversationId: 'v',
        messageId: 'm',
        index: 0,
      }),
    ).toMatch(new RegExp(`^${ATTACHMENTS_BUCKET.keyPrefix}`));
  });

  it('the conversations table has the keys-only conversation_id index locally and in CloudFormation', () => {
    const plan = tablePlans().find((p) => p.key === 'conversations');
    expect(plan?.input.GlobalSecondaryIndexes).toContainEqual({
      IndexName: 'conversation_id-index',
      KeySchema: [{ AttributeName: 'conversation_id', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
  });
});
