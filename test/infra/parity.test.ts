import { beforeAll, describe, expect, it } from 'vitest';
import { queuePlans, tablePlans } from '../../src/local/provision-plan.js';
import { findByProperty, getAtt, type Synthesised, synthWebhookStack } from './synth.js';

/**
 * The local stack (`src/local/provision-plan.ts`) and the CDK stack are both derived from `src/resources.ts`.
 * This proves the derivations agree: what you run locally has the keys, indexes, TTL and queue attributes AWS has.
 */
const STAGE = 'dev';
let synthesised: Synthesised;

beforeAll(() => {
  synthesised = synthWebhookStack({ context: { stage: STAGE } });
});

const byName = <T extends { AttributeName?: string | undefined }>(items: readonly T[] | undefined): T[] =>
  [...(items ?? [])].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));

describe('tables: local plan = CloudFormation', () => {
  it.each(tablePlans().map((plan) => [plan.input.TableName, plan] as const))('%s', (localName, plan) => {
    const { props } = findByProperty(
      synthesised.template,
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
    synthesised.template.resourceCountIs('AWS::DynamoDB::Table', names.length);
  });
});

describe('queues: local plan = CloudFormation', () => {
  it.each(queuePlans().map((plan) => [plan.name, plan] as const))(
    '%s and its dead-letter queue',
    (name, plan) => {
      const { template } = synthesised;
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
    synthesised.template.resourceCountIs('AWS::SQS::Queue', queuePlans().length * 2);
  });
});
