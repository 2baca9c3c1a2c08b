import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ACCESS_LOG_429 } from '../../infra/access-log-metrics.js';
import { OBSERVABILITY, QUEUES, TABLES } from '../../src/resources.js';
import {
  type CfnResource,
  cdkJsonContext,
  findNamed,
  resourcesOfType,
  synthAllOptions,
  synthWebhookStack,
} from './synth.js';

/** prod with a custom domain (and every other option), as an on-call engineer would review it. */
const prod = synthAllOptions();

const PREFIX = 'replies-engine-webhook-prod-';
const alarms = () => resourcesOfType(prod.template, 'AWS::CloudWatch::Alarm');
const alarmProps = (name: string) =>
  findNamed(prod.template, 'AWS::CloudWatch::Alarm', `${PREFIX}${name}`).props;

describe('429 answers are counted exactly', () => {
  it.each(Object.values(ACCESS_LOG_429))(
    '$metricName: metric filter on the access log and an alarm at ≥ 1/min',
    ({ metricName, errorType }) => {
      const accessLogs = resourcesOfType(prod.template, 'AWS::Logs::MetricFilter').filter(([, f]) =>
        JSON.stringify(f.Properties?.MetricTransformations).includes(`"${metricName}"`),
      );
      expect(accessLogs).toHaveLength(1);
      const filter = (accessLogs[0] as [string, CfnResource])[1].Properties ?? {};
      expect(filter.FilterPattern).toBe(
        `{ ($.status = "429") && ($.errorType ${errorType.operator} "${errorType.value}") }`,
      );
      expect(filter.MetricTransformations).toEqual([
        {
          MetricNamespace: OBSERVABILITY.metricsNamespace,
          MetricName: metricName,
          MetricValue: '1',
          Dimensions: [{ Key: 'stage', Value: '$.stage' }],
        },
      ]);
      // The filter reads the API's access log group, whose format writes the stage field it keys on.
      const stage = resourcesOfType(prod.template, 'AWS::ApiGateway::Stage')[0]?.[1].Properties ?? {};
      const accessLog = stage.AccessLogSetting as { DestinationArn: unknown; Format: string };
      expect(JSON.stringify(accessLog.DestinationArn)).toContain(JSON.stringify(filter.LogGroupName));
      expect(JSON.parse(accessLog.Format)).toMatchObject({
        stage: '$context.stage',
        status: '$context.status',
        errorType: '$context.error.responseType',
      });
      expect(alarmProps(metricName)).toMatchObject({
        Namespace: OBSERVABILITY.metricsNamespace,
        MetricName: metricName,
        Dimensions: [{ Name: 'stage', Value: 'prod' }],
        Period: 60,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
    },
  );
});

describe('alarms', () => {
  it('no 5xx or error alarm fires on a single data point', () => {
    // Validation failures and 4XX are volume thresholds (10 and 50 per 5 min), not error pages.
    const errorAlarms = alarms().filter(([, a]) =>
      /Api5xxErrors|HandlerErrors|FallbackMessageFailures/.test(String(a.Properties?.AlarmName)),
    );
    expect(errorAlarms).toHaveLength(3);
    for (const [, a] of errorAlarms) {
      expect(a.Properties?.DatapointsToAlarm, String(a.Properties?.AlarmName)).toBeGreaterThanOrEqual(2);
      expect(a.Properties?.EvaluationPeriods).toBeGreaterThanOrEqual(
        a.Properties?.DatapointsToAlarm as number,
      );
    }
  });

  it('every alarm on a custom metric carries the stage dimension', () => {
    const custom = alarms().filter(([, a]) => a.Properties?.Namespace === OBSERVABILITY.metricsNamespace);
    expect(custom.length).toBeGreaterThanOrEqual(5);
    for (const [, a] of custom) {
      expect(a.Properties?.Dimensions, String(a.Properties?.AlarmName)).toContainEqual({
        Name: 'stage',
        Value: 'prod',
      });
    }
  });
});

describe('a failed first deploy strands nothing', () => {
  it('every table, queue and bucket (stateful stack) and every log group is RetainExceptOnCreate', () => {
    const stateful = ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::S3::Bucket'].flatMap((type) =>
      resourcesOfType(prod.dataTemplate, type),
    );
    // Tables, work queues and their DLQs, the SES notification DLQ; the attachments and SES inbound buckets.
    expect(stateful.length).toBe(Object.keys(TABLES).length + 2 * Object.keys(QUEUES).length + 1 + 2);
    // Log groups: the function's, the API's access and execution logs, WAF's, the heartbeat function's.
    const logGroups = resourcesOfType(prod.template, 'AWS::Logs::LogGroup');
    expect(logGroups).toHaveLength(5);
    for (const [id, resource] of [...stateful, ...logGroups]) {
      expect(resource.DeletionPolicy, id).toBe('RetainExceptOnCreate');
      expect(resource.UpdateReplacePolicy, id).toBe('Retain');
    }
  });

  it('the stage waits for its execution-log group (else API Gateway may create it first)', () => {
    const [[stageId, stage]] = resourcesOfType(prod.template, 'AWS::ApiGateway::Stage') as [
      [string, CfnResource],
    ];
    const executionLogs = resourcesOfType(prod.template, 'AWS::Logs::LogGroup').find(([, g]) =>
      String(JSON.stringify(g.Properties?.LogGroupName)).includes('API-Gateway-Execution-Logs_'),
    );
    expect(executionLogs, stageId).toBeDefined();
    expect((stage as { DependsOn?: string[] }).DependsOn).toContain(executionLogs?.[0]);
  });

  it('cdk.json pins exactly the recommended feature flags of the installed aws-cdk-lib', () => {
    const recommended = createRequire(import.meta.url)(
      'aws-cdk-lib/recommended-feature-flags.json',
    ) as object;
    // Regenerate after an aws-cdk-lib upgrade: see docs/deploy.md, "Upgrading aws-cdk-lib".
    expect(cdkJsonContext()).toEqual(recommended);
    expect(cdkJsonContext()['@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId']).toBe(true);
  });
});

describe('custom domain, dashboard, outputs', () => {
  it('with a custom domain the execute-api endpoint is off (signatures are checked against the domain URL)', () => {
    const [[, api]] = resourcesOfType(prod.template, 'AWS::ApiGateway::RestApi') as [[string, CfnResource]];
    expect(api.Properties?.DisableExecuteApiEndpoint).toBe(true);
    const dev = synthWebhookStack();
    const [[, devApi]] = resourcesOfType(dev.template, 'AWS::ApiGateway::RestApi') as [[string, CfnResource]];
    expect(devApi.Properties?.DisableExecuteApiEndpoint).toBe(false);
  });

  it('a dashboard with verdicts, latency, 4xx/5xx/429, queues, DLQs, Lambda and fallback graphs', () => {
    const dashboard = findNamed(prod.template, 'AWS::CloudWatch::Dashboard', 'replies-engine-webhook-prod');
    const body = JSON.stringify(dashboard.props.DashboardBody);
    for (const title of [
      'Webhooks by verdict',
      'Latency percentiles',
      '4xx / 5xx / 429',
      'Queue depth',
      'Oldest message age',
      'Dead-letter queues',
      'Lambda duration',
      'Lambda errors, throttles, concurrency',
      'Fallback messages',
    ]) {
      expect(body).toContain(title);
    }
    for (const metric of ['ApiThrottled429', 'ConcurrentExecutions', OBSERVABILITY.metrics.fallbackFailed])
      expect(body).toContain(metric);
  });

  it('outputs: URL and ARN of every work queue and DLQ, every table name (stateful stack); the alarm topic', () => {
    const outputs = Object.keys(prod.dataTemplate.toJSON().Outputs as Record<string, unknown>);
    for (const { name, deadLetterQueueName } of Object.values(QUEUES)) {
      const dlq = deadLetterQueueName.replace(/-/g, '');
      expect(outputs).toEqual(expect.arrayContaining([`${name}Url`, `${name}Arn`, `${dlq}Url`, `${dlq}Arn`]));
    }
    for (const { localName } of Object.values(TABLES)) expect(outputs).toContain(`${localName}TableName`);
    expect(outputs).toEqual(
      expect.arrayContaining(['AttachmentsBucketName', 'AttachmentsReadPolicyArn', 'SesNotificationDLQUrl']),
    );
    expect(Object.keys(prod.template.toJSON().Outputs as Record<string, unknown>)).toContain('AlarmTopicArn');
  });
});
