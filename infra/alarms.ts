import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { LIMITS, OBSERVABILITY, QUEUES, type QueueKey } from '../src/resources.js';
import { customMetric } from './custom-metric.js';
import type { MonitoredResources } from './monitored-resources.js';
import { type StageConfig, THROTTLE_REQUESTS_PER_MINUTE, WEBHOOK_TIMEOUT } from './stage-config.js';

export interface WebhookAlarmsProps extends MonitoredResources {
  readonly config: StageConfig;
  readonly alarmEmail?: string;
}

/**
 * Errors and 5xx page only when they persist: 2 of 3 five-minute periods. The handler answers 503 on purpose for a
 * dependency blip (the provider retries), which fills one period at most; an outage fills them all.
 */
const SUSTAINED = { evaluationPeriods: 3, datapointsToAlarm: 2 } as const;
/** 5XXError sum per five minutes that counts towards SUSTAINED: a few retried 503s are not an incident. */
const API_5XX_PER_5_MIN = 3;

/** Alarm when a Duration p99 passes this share of the function timeout. */
const DURATION_ALARM_SHARE = 0.8;

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
      customMetric(config.stage, metricName, period);
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
      threshold: 1,
      ...SUSTAINED,
      description:
        'Fallback messages to unknown senders keep failing (Twilio/Mailgun API error or credentials)',
    });
    // A 406 drops the email for good (Mailgun does not retry it), so one is worth a look.
    this.add('InlineEmailTooLarge', {
      metric: custom(OBSERVABILITY.metrics.inlineEmailTooLarge, fiveMinutes),
      threshold: 1,
      description:
        'An inline (forward) email was over one invocation (406, dropped): route Mailgun with store(notify)',
    });
    this.add('StoredAttachmentRefused', {
      metric: custom(OBSERVABILITY.metrics.storedAttachmentRefused, fiveMinutes),
      threshold: 1,
      description:
        'A store(notify) attachment was refused (406): URL off the Mailgun API host, or over 25 MB',
    });

    // Lambda.
    this.add('WebhookHandlerErrors', {
      metric: props.webhookFunction.metricErrors(sumOverFive),
      threshold: 1,
      ...SUSTAINED,
      description:
        'IncomingWebhookHandler keeps crashing or timing out (providers retry or use their fallback URL)',
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

    // API Gateway (stage-level metrics: ApiName + Stage dimensions).
    this.add('Api4xxErrors', {
      metric: props.apiStage.metricClientError(sumOverFive),
      threshold: thresholds.api4xxPer5Min,
      description:
        'Many 4XX answers: 400 missing header, 403 unknown route/WAF/signature, 429 throttle or quota',
    });
    this.add('ApiNearThrottleLimit', {
      metric: props.apiStage.metricCount({ period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: THROTTLE_REQUESTS_PER_MINUTE * 0.8,
      description:
        `Requests above 80 % of the ${LIMITS.throttleRateLimit} rps stage throttle: 429s (lost unless Twilio ` +
        'retries) are imminent (§7 high throttling)',
    });
    // The AI's monthly budget (src/app/ai-budget.ts): the handler emits the month's count as a share of
    // MONTHLY_QUOTA, so both alarms hold whatever quota a stage sets. Past 100 % AI-bound replies go to people.
    for (const percent of [80, 100] as const) {
      this.add(`MonthlyQuota${percent}Percent`, {
        metric: custom(OBSERVABILITY.metrics.monthlyQuotaUsedPercent, Duration.hours(1)).with({
          statistic: 'Maximum',
        }),
        threshold: percent,
        description:
          percent === 100
            ? 'The AI budget (MONTHLY_QUOTA) is used up: AI-bound replies go to HandoffQueue (quota_exceeded) until the month ends'
            : 'Messages queued for the AI this month passed 80 % of MONTHLY_QUOTA (then they go to people)',
      });
    }
    this.add('Api5xxErrors', {
      metric: props.apiStage.metricServerError(sumOverFive),
      threshold: API_5XX_PER_5_MIN,
      ...SUSTAINED,
      description:
        'API Gateway keeps answering 5XX (handler error, timeout or authorizer failure), not a blip',
    });
    this.add('ApiThrottled429', {
      metric: props.api429.throttled,
      threshold: 1,
      description:
        `The ${LIMITS.throttleRateLimit} rps / burst ${LIMITS.throttleBurstLimit} stage throttle answered 429: ` +
        'Twilio does not retry on 429, so those replies are lost',
    });
    // Any 429 other than the throttle's: the handler never answers 429 (its quota hands messages to people).
    this.add('ApiQuotaExceeded429', {
      metric: props.api429.quotaExceeded,
      threshold: 1,
      description: 'API Gateway answered 429 other than for the throttle (the handler never answers 429)',
    });

    if (props.sesInbound) this.addSesInboundAlarms(props.sesInbound);

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

  /** SNS could not deliver to `/email` (every failed attempt counts), and what it gave up on waits in the DLQ. */
  private addSesInboundAlarms(ses: NonNullable<MonitoredResources['sesInbound']>): void {
    this.add('SesNotificationsFailed', {
      metric: ses.topic.metricNumberOfNotificationsFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      ...SUSTAINED,
      description:
        'SNS keeps failing to deliver SES notifications to /email (endpoint down, 4xx, unconfirmed subscription)',
    });
    this.add('SesNotificationDlqNotEmpty', {
      metric: ses.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description:
        'SNS gave up on an SES notification: replay it with `replies-webhooks ses replay` (docs/deploy.md)',
    });
  }

  /**
   * The one alarm where silence is the problem: no heartbeat recognised by the handler for two periods (wrong URL,
   * DNS gone, credentials broken, function or API down) pages.
   */
  addHeartbeatAlarm(heartbeat: { readonly metric: IMetric }): void {
    this.add('HeartbeatMissing', {
      metric: heartbeat.metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.BREACHING,
      description:
        'No signed heartbeat webhook reached the handler through the public URL: the gateway is unreachable or ' +
        'broken for every provider',
    });
  }

  private add(
    id: string,
    options: {
      metric: IMetric;
      /** Default 1: any occurrence in the period alarms. */
      threshold?: number;
      description: string;
      comparisonOperator?: ComparisonOperator;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      treatMissingData?: TreatMissingData;
    },
  ): void {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.prefix}-${id}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold ?? 1,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? 1,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means no traffic (or no failures), not a problem — except where the alarm says otherwise.
      treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
