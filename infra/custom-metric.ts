import type { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { OBSERVABILITY } from '../src/resources.js';

/**
 * The dimension set the handler's Powertools Metrics emits: `service` (POWERTOOLS_SERVICE_NAME) plus the default
 * dimension `stage`, so stages sharing an account never share an alarm. An alarm only matches a metric with exactly
 * the same dimensions.
 */
function customMetricDimensions(stage: string): Record<string, string> {
  return { service: OBSERVABILITY.serviceName, stage };
}

/** One of the handler's EMF metrics (`OBSERVABILITY.metrics`), summed over `period`. */
export function customMetric(stage: string, metricName: string, period: Duration): Metric {
  return new Metric({
    namespace: OBSERVABILITY.metricsNamespace,
    metricName,
    dimensionsMap: customMetricDimensions(stage),
    statistic: 'Sum',
    period,
  });
}
