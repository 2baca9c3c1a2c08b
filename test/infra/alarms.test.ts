import { describe, expect, it } from 'vitest';
import { OBSERVABILITY, QUEUES } from '../../src/resources.js';
import {
  type CfnResource,
  findNamed,
  handlerMetric,
  ref,
  resourcesOfType,
  synthWebhookStack,
} from './synth.js';

const dev = synthWebhookStack();

const PREFIX = 'replies-engine-webhook-dev-';
const alarm = (name: string): Record<string, unknown> =>
  findNamed(dev.template, 'AWS::CloudWatch::Alarm', `${PREFIX}${name}`).props;

describe('alarms (seed §7)', () => {
  it('the full set, each notifying the alarm topic', () => {
    const names = resourcesOfType(dev.template, 'AWS::CloudWatch::Alarm').map(([, a]) =>
      String(a.Properties?.AlarmName).replace(PREFIX, ''),
    );
    const perQueue = Object.values(QUEUES).flatMap((q) => [
      `${q.name}DlqNotEmpty`,
      `${q.name}OldestMessageAge`,
    ]);
    expect(names.sort()).toEqual(
      [
        'WebhookValidationFailures',
        'UnknownSenders',
        'FallbackMessageFailures',
        'InlineEmailTooLarge',
        'StoredAttachmentRefused',
        'WebhookHandlerErrors',
        'WebhookHandlerThrottles',
        'WebhookHandlerDurationNearTimeout',
        'Api4xxErrors',
        'ApiNearThrottleLimit',
        'MonthlyQuota80Percent',
        'MonthlyQuota100Percent',
        'Api5xxErrors',
        'ApiThrottled429',
        'ApiQuotaExceeded429',
        ...perQueue,
      ].sort(),
    );
    const [[topicId]] = resourcesOfType(dev.template, 'AWS::SNS::Topic') as [[string, CfnResource]];
    for (const [, a] of resourcesOfType(dev.template, 'AWS::CloudWatch::Alarm')) {
      expect(a.Properties?.AlarmActions).toEqual([ref(topicId)]);
      expect(a.Properties?.TreatMissingData).toBe('notBreaching');
    }
    // No e-mail address in context: the topic exists but has no subscription.
    dev.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it.each([
    ['WebhookValidationFailures', OBSERVABILITY.metrics.validationFailure, 300],
    ['UnknownSenders', OBSERVABILITY.metrics.unknownSender, 3600],
    ['FallbackMessageFailures', OBSERVABILITY.metrics.fallbackFailed, 300],
    ['InlineEmailTooLarge', OBSERVABILITY.metrics.inlineEmailTooLarge, 300],
    ['StoredAttachmentRefused', OBSERVABILITY.metrics.storedAttachmentRefused, 300],
  ])('%s watches the EMF metric with exactly the dimensions Powertools emits', (name, metricName, period) => {
    expect(alarm(name)).toMatchObject({
      Namespace: 'RepliesEngine',
      MetricName: metricName,
      Dimensions: [
        { Name: 'service', Value: 'replies-engine-webhook' },
        { Name: 'stage', Value: 'dev' },
      ],
      Statistic: 'Sum',
      Period: period,
    });
  });

  it('Lambda errors, throttles and p99 duration at 80 % of the 10 s timeout', () => {
    const fnId = findNamed(dev.template, 'AWS::Lambda::Function', 'IncomingWebhookHandler-dev').id;
    const dimensions = [{ Name: 'FunctionName', Value: ref(fnId) }];
    expect(alarm('WebhookHandlerErrors')).toMatchObject({
      MetricName: 'Errors',
      Dimensions: dimensions,
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
    expect(alarm('WebhookHandlerThrottles')).toMatchObject({
      MetricName: 'Throttles',
      Dimensions: dimensions,
    });
    expect(alarm('WebhookHandlerDurationNearTimeout')).toMatchObject({
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Threshold: 8000,
      Dimensions: dimensions,
    });
  });

  it.each([80, 100])(
    'the AI budget at %i %%: the maximum share of MONTHLY_QUOTA the handler emits, whatever the stage quota',
    (percent) => {
      expect(alarm(`MonthlyQuota${percent}Percent`)).toMatchObject({
        ...handlerMetric(OBSERVABILITY.metrics.monthlyQuotaUsedPercent, 'dev'),
        Statistic: 'Maximum',
        Threshold: percent,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    },
  );

  it('API 4XX, near-throttle (80 % of 10 rps) and 5XX on the stage (ApiName + Stage)', () => {
    const dimensions = [
      { Name: 'ApiName', Value: 'replies-engine-webhook-api-dev' },
      { Name: 'Stage', Value: expect.anything() },
    ];
    expect(alarm('Api4xxErrors')).toMatchObject({
      MetricName: '4XXError',
      Dimensions: dimensions,
      Threshold: 50,
    });
    expect(alarm('ApiNearThrottleLimit')).toMatchObject({ MetricName: 'Count', Period: 60, Threshold: 480 });
    expect(alarm('Api5xxErrors')).toMatchObject({
      MetricName: '5XXError',
      Dimensions: dimensions,
      Threshold: 3,
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  it.each(Object.values(QUEUES))('$name: DLQ depth > 0 and oldest-message age', (queue) => {
    // Same names as the queues of the stateful stack.
    findNamed(dev.dataTemplate, 'AWS::SQS::Queue', `${queue.deadLetterQueueName}-dev`);
    findNamed(dev.dataTemplate, 'AWS::SQS::Queue', `${queue.name}-dev`);
    expect(alarm(`${queue.name}DlqNotEmpty`)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: `${queue.deadLetterQueueName}-dev` }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
    expect(alarm(`${queue.name}OldestMessageAge`)).toMatchObject({
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: `${queue.name}-dev` }],
      Threshold: 900,
    });
  });
});
