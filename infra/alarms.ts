import { Duration } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { LIMITS, OBSERVABILITY, QUEUES, type QueueKey } from '../src/resources.js';
import type { QueuePair } from './reply-queues.js';
import { type StageConfig, THROTTLE_REQUESTS_PER_MINUTE, WEBHOOK_TIMEOUT } from './stage-config.js';

export interface WebhookAlarmsProps {
  readonly config: StageConfig;
  readonly webhookFunction: IFunction;
  readonly authorizerFunction: IFunction;
  readonly apiStage: Stage;
  readonly queues: Record<QueueKey, QueuePair>;
  readonly alarmEmail?: string;
}

/**
 * The dimension set Powertools Metrics emits by default: one `service` dimension named after
 * POWERTOOLS_SERVICE_NAME. An alarm only matches a metric with exactly the same dimensions.
 */
export const CUSTOM_METRIC_DIMENSIONS = { service: OBSERVABILITY.serviceName } as const;

/** Alarm when a Duration p99 passes this share of the function timeout. */
export const DURATION_ALARM_SHARE = 0.8;

/** Seed §7 alarms, all notifying one SNS topic. */
export class WebhookAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: WebhookAlarmsProps) {
    super(scope, id);
    const { config } = props;
    const thresholds = config.alarms;
    this.prefix = `replies-engine-webhook-${config.stage}`;

    // Not KMS-encrypted: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and alarm messages
    // carry only alarm names and metric values. (AwsSolutions has no SNS encryption rule; SNS3 is met below.)
    this.topic = new Topic(this, 'Topic', {
      topicName: `${this.prefix}-alarms`,
      displayName: `Replies engine webhook alarms (${config.stage})`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const custom = (metricName: string, period: Duration): Metric =>
      new Metric({
        namespace: OBSERVABILITY.metricsNamespace,
        metricName,
        dimensionsMap: { ...CUSTOM_METRIC_DIMENSIONS },
        statistic: 'Sum',
        period,
      });
    const fiveMinutes = Duration.minutes(5);
    const sumOverFive = { period: fiveMinutes, statistic: 'Sum' } as const;

    // Application (EMF metrics from the handler).
    this.add('WebhookValidationFailures', {
      metric: custom(OBSERVABILITY.metrics.validationFailure, fiveMinutes),
      threshold: thresholds.validationFailuresPer5Min,
      description: 'Many signature/payload validation failures: forged traffic or a rotated auth token (§7)',
    });
    this.add('UnknownSenders', {
      metric: custom(OBSERVABILITY.metrics.unknownSender, Duration.hours(1)),
      threshold: thresholds.unknownSendersPerHour,
      description: 'Unusually many messages from senders with no active conversation (§7)',
    });
    this.add('FallbackMessageFailures', {
      metric: custom(OBSERVABILITY.metrics.fallbackFailed, fiveMinutes),
      description: 'Fallback message to an unknown sender could not be sent (Twilio/Mailgun API error)',
    });

    // Lambda.
    this.add('WebhookHandlerErrors', {
      metric: props.webhookFunction.metricErrors(sumOverFive),
      description: 'IncomingWebhookHandler failed (providers retry or use their fallback URL)',
    });
    this.add('WebhookHandlerThrottles', {
      metric: props.webhookFunction.metricThrottles(sumOverFive),
      description: 'IncomingWebhookHandler throttled by Lambda concurrency',
    });
    this.add('WebhookHandlerDurationNearTimeout', {
      metric: props.webhookFunction.metricDuration({ period: fiveMinutes, statistic: 'p99' }),
      threshold: WEBHOOK_TIMEOUT.toMilliseconds() * DURATION_ALARM_SHARE,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: `p99 duration above ${DURATION_ALARM_SHARE * 100} % of the timeout; Twilio gives up at 15 s`,
    });
    this.add('QuotaAuthorizerErrors', {
      metric: props.authorizerFunction.metricErrors(sumOverFive),
      description: 'Quota authorizer failed: every webhook gets a 500 until it recovers',
    });

    // API Gateway (stage-level metrics: ApiName + Stage dimensions).
    this.add('Api4xxErrors', {
      metric: props.apiStage.metricClientError(sumOverFive),
      threshold: thresholds.api4xxPer5Min,
      description: 'Many 4XX answers: 400 missing header, 403 unknown route/WAF, 429 throttle or quota',
    });
    this.add('ApiNearThrottleLimit', {
      metric: props.apiStage.metricCount({ period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: THROTTLE_REQUESTS_PER_MINUTE * 0.8,
      description:
        `Requests above 80 % of the ${LIMITS.throttleRateLimit} rps stage throttle: 429s (lost unless Twilio ` +
        'retries) are imminent (§7 high throttling)',
    });
    this.add('ApiMonthlyQuotaPace', {
      metric: props.apiStage.metricCount({ period: Duration.days(1), statistic: 'Sum' }),
      threshold: Math.floor(LIMITS.monthlyQuota / 31),
      description: `A day's traffic at this pace exhausts the ${LIMITS.monthlyQuota}/month quota (then every webhook gets 429)`,
    });
    this.add('Api5xxErrors', {
      metric: props.apiStage.metricServerError(sumOverFive),
      description: 'API Gateway answered 5XX (handler error, timeout or authorizer failure)',
    });

    // SQS.
    for (const key of Object.keys(props.queues) as QueueKey[]) {
      const { queue, deadLetterQueue } = props.queues[key];
      const name = QUEUES[key].name;
      this.add(`${name}DlqNotEmpty`, {
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: fiveMinutes,
          statistic: 'Maximum',
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        description: `${QUEUES[key].deadLetterQueueName} holds messages a consumer could not process`,
      });
      this.add(`${name}OldestMessageAge`, {
        metric: queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: 'Maximum' }),
        threshold: thresholds.oldestMessageAgeSeconds,
        description: `${name} is not being drained (consumer down or too slow)`,
      });
    }
  }

  private add(
    id: string,
    options: {
      metric: IMetric;
      /** Default 1: any occurrence in the period alarms. */
      threshold?: number;
      description: string;
      comparisonOperator?: ComparisonOperator;
    },
  ): void {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.prefix}-${id}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold ?? 1,
      evaluationPeriods: 1,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means no traffic (or no failures), not a problem.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
