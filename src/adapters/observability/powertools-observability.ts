import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { LogFields, Logger, Metrics } from '../../app/ports.js';
import { scrubTruncated } from '../../domain/mask.js';
import { OBSERVABILITY } from '../../resources.js';
import { sourceMappedFrames } from './source-mapped-stack.js';

/** Keys that may hold message content: dropped outright, whatever their value. */
const REDACTED_KEYS = new Set([
  'body',
  'Body',
  'message_body',
  'stripped-text',
  'body-plain',
  'body-html',
  'subject',
]);

function replacer(key: string, value: unknown): unknown {
  if (REDACTED_KEYS.has(key)) return '[redacted]';
  // Cut before masking: a field an attacker filled with 1 MB must cost neither CPU nor log volume.
  return typeof value === 'string' ? scrubTruncated(value) : value;
}

/**
 * JSON logs via Powertools Logger with a PII-scrubbing serializer as a safety net behind explicit masking; every
 * string is cut to MAX_MASKED_CHARS first.
 */
export function createPowertoolsLogger(options: { logLevel?: string } = {}): Logger {
  const logger = new PowertoolsLogger({
    serviceName: OBSERVABILITY.serviceName,
    jsonReplacerFn: replacer,
    ...(options.logLevel ? { logLevel: options.logLevel as 'INFO' } : {}),
  });
  return {
    info: (message: string, fields?: LogFields) => logger.info(message, { ...fields }),
    warn: (message: string, fields?: LogFields) => logger.warn(message, { ...fields }),
    error: (message: string, fields?: LogFields) => {
      const stack = fields?.stack;
      logger.error(message, {
        ...fields,
        ...(typeof stack === 'string' ? { stack: sourceMappedFrames(stack) } : {}),
      });
    },
  };
}

/**
 * CloudWatch EMF via Powertools Metrics. Namespace and dimensions (`service` plus the default dimension `stage`)
 * match the CDK alarms and dashboard (`customMetricDimensions` in infra/custom-metric.ts), so stages never mix.
 */
export function createPowertoolsMetrics(options: { stage: string }): Metrics {
  const metrics = new PowertoolsMetrics({
    namespace: OBSERVABILITY.metricsNamespace,
    serviceName: OBSERVABILITY.serviceName,
    defaultDimensions: { stage: options.stage },
  });
  let pending = false;
  return {
    count(name, value = 1) {
      metrics.addMetric(name, MetricUnit.Count, value);
      pending = true;
    },
    milliseconds(name, value) {
      metrics.addMetric(name, MetricUnit.Milliseconds, value);
      pending = true;
    },
    flush() {
      if (!pending) return;
      pending = false;
      metrics.publishStoredMetrics();
    },
  };
}
