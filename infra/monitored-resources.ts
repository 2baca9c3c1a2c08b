import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { QueueKey } from '../src/resources.js';
import type { AccessLog429Key } from './access-log-metrics.js';
import type { QueueRefs } from './stage-resources.js';

/** What the alarms and the dashboard watch: the API stage, the webhook function and the queues. */
export interface MonitoredResources {
  readonly apiStage: Stage;
  readonly webhookFunction: IFunction;
  readonly queues: Record<QueueKey, QueueRefs>;
  /** 429 answers counted from the access log (`AccessLogMetrics`). */
  readonly api429: Record<AccessLog429Key, Metric>;
  /** SES inbound: the SNS topic delivering to `/email` and the subscription's dead-letter queue. */
  readonly sesInbound?: { readonly topic: ITopic; readonly deadLetterQueue: IQueue };
}
