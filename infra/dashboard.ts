import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, type IMetric, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { OBSERVABILITY, QUEUES, type QueueKey } from '../src/resources.js';
import { customMetric } from './custom-metric.js';
import type { MonitoredResources } from './monitored-resources.js';
import type { QueueRefs } from './stage-resources.js';

export interface WebhookDashboardProps extends MonitoredResources {
  readonly stage: string;
}

const MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/**
 * One page for the on-call engineer: traffic and verdicts, latency, errors, queues, Lambda, fallback messages, the
 * heartbeat and, with SES inbound, SES → SNS delivery and its dead-letter queue.
 */
export class WebhookDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: WebhookDashboardProps) {
    super(scope, id);
    const { apiStage, webhookFunction: fn, stage } = props;
    const custom = (name: string, label: string, statistic = 'Sum') =>
      customMetric(stage, name, FIVE_MINUTES).with({ label, statistic });
    const m = OBSERVABILITY.metrics;
    const queueKeys = Object.keys(props.queues) as QueueKey[];
    const perQueue = (pick: (pair: QueueRefs, label: string) => IMetric) =>
      queueKeys.map((key) => pick(props.queues[key], QUEUES[key].name));
    const graph = (title: string, left: IMetric[], width = 8): IWidget =>
      new GraphWidget({ title, left, width, height: 6 });

    const widgets: IWidget[] = [
      graph('Webhooks by verdict (5 min)', [
        apiStage.metricCount({ period: FIVE_MINUTES, label: 'requests (API)' }),
        custom(m.validationFailure, 'rejected (validation/signature)'),
        custom(m.duplicate, 'duplicates'),
        custom(m.statusCallback, 'status callbacks'),
        custom(m.unknownSender, 'unknown senders'),
        custom(m.optOut, 'opt-outs'),
      ]),
      graph('Latency percentiles (ms)', [
        apiStage.metricLatency({ period: FIVE_MINUTES, statistic: 'p50', label: 'API p50' }),
        apiStage.metricLatency({ period: FIVE_MINUTES, statistic: 'p90', label: 'API p90' }),
        apiStage.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'API p99' }),
        custom(m.processingTime, 'handler processing p99', 'p99'),
      ]),
      graph('4xx / 5xx / 429 (1 min)', [
        apiStage.metricClientError({ period: MINUTE, statistic: 'Sum', label: '4XX' }),
        apiStage.metricServerError({ period: MINUTE, statistic: 'Sum', label: '5XX' }),
        props.api429.throttled.with({ label: '429 throttled' }),
        props.api429.quotaExceeded.with({ label: '429 quota' }),
      ]),
      graph(
        'Queue depth (visible)',
        perQueue(({ queue }, label) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, label }),
        ),
      ),
      graph(
        'Oldest message age (s)',
        perQueue(({ queue }, label) => queue.metricApproximateAgeOfOldestMessage({ period: MINUTE, label })),
      ),
      graph(
        'Dead-letter queues (visible)',
        perQueue(({ deadLetterQueue }, label) =>
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: MINUTE,
            statistic: 'Maximum',
            label: `${label} DLQ`,
          }),
        ),
      ),
      graph('Lambda duration (ms)', [
        fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p50', label: 'p50' }),
        fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label: 'p99' }),
        fn.metricDuration({ period: FIVE_MINUTES, statistic: 'Maximum', label: 'max' }),
      ]),
      graph('Lambda errors, throttles, concurrency', [
        fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: 'errors' }),
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label: 'throttles' }),
        fn.metric('ConcurrentExecutions', {
          period: FIVE_MINUTES,
          statistic: 'Maximum',
          label: 'concurrency',
        }),
      ]),
      graph('Fallback messages', [custom(m.fallbackSent, 'sent'), custom(m.fallbackFailed, 'failed')]),
      graph('Heartbeat (signed webhook through the public URL)', [custom(m.heartbeat, 'heartbeats')]),
    ];
    if (props.sesInbound) {
      const { topic, deadLetterQueue } = props.sesInbound;
      const sum = { period: FIVE_MINUTES, statistic: 'Sum' } as const;
      widgets.push(
        graph('SES inbound → SNS → /email', [
          topic.metricNumberOfMessagesPublished({ ...sum, label: 'received (published by SES)' }),
          topic.metricNumberOfNotificationsDelivered({ ...sum, label: 'delivered' }),
          topic.metricNumberOfNotificationsFailed({ ...sum, label: 'failed attempts' }),
          topic.metric('NumberOfNotificationsRedrivenToDlq', { ...sum, label: 'parked in DLQ' }),
          topic.metric('NumberOfNotificationsFailedToRedriveToDlq', { ...sum, label: 'lost (DLQ refused)' }),
        ]),
        graph('SES notification DLQ (visible)', [
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: MINUTE,
            statistic: 'Maximum',
            label: 'to replay',
          }),
        ]),
        graph('SES sender verdicts', [
          custom(m.senderUnverified, 'unverified'),
          custom(m.senderSpam, 'spam'),
          custom(m.senderVirus, 'virus'),
          custom(m.senderVerdictsAbsent, 'no verdicts'),
        ]),
      );
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `replies-engine-webhook-${stage}`,
      defaultInterval: Duration.hours(3),
    });
    // Three 8-wide graphs per row.
    for (let i = 0; i < widgets.length; i += 3) this.dashboard.addWidgets(...widgets.slice(i, i + 3));
  }
}
