import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { OBSERVABILITY } from '../src/resources.js';
import { perKey } from './per-key.js';

/**
 * 429 answers counted from the API access log, one metric per cause. The stage throttle is a token bucket (10/s,
 * burst 20), so a request-count alarm cannot tell whether any request was refused; the access log's `status` and
 * `errorType` ($context.error.responseType) can, exactly.
 */
export const ACCESS_LOG_429 = {
  // API Gateway's own answer from the stage throttle.
  throttled: { metricName: 'ApiThrottled429', errorType: { operator: '=', value: 'THROTTLED' } },
  // Every other 429 is the handler's: the monthly quota of verified webhooks is used up.
  quotaExceeded: { metricName: 'ApiQuotaExceeded429', errorType: { operator: '!=', value: 'THROTTLED' } },
} as const;

export type AccessLog429Key = keyof typeof ACCESS_LOG_429;

export interface AccessLogMetricsProps {
  readonly accessLogGroup: ILogGroup;
  readonly stage: string;
}

export class AccessLogMetrics extends Construct {
  readonly metrics: Record<AccessLog429Key, Metric>;

  constructor(scope: Construct, id: string, { accessLogGroup, stage }: AccessLogMetricsProps) {
    super(scope, id);
    this.metrics = perKey(ACCESS_LOG_429, (key) => {
      const { metricName, errorType } = ACCESS_LOG_429[key];
      new MetricFilter(this, metricName, {
        logGroup: accessLogGroup,
        // The access log writes every field as a JSON string, status included.
        filterPattern: FilterPattern.all(
          FilterPattern.stringValue('$.status', '=', '429'),
          FilterPattern.stringValue('$.errorType', errorType.operator, errorType.value),
        ),
        metricNamespace: OBSERVABILITY.metricsNamespace,
        metricName,
        metricValue: '1',
        // Dimension values come from log fields: `stage` keeps stages in one account apart.
        dimensions: { stage: '$.stage' },
      });
      return new Metric({
        namespace: OBSERVABILITY.metricsNamespace,
        metricName,
        dimensionsMap: { stage },
        statistic: 'Sum',
        period: Duration.minutes(1),
      });
    });
  }
}
