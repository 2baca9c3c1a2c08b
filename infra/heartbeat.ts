import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct, type IDependable } from 'constructs';
import { ENV, HEARTBEAT, OBSERVABILITY } from '../src/resources.js';
import { customMetric } from './custom-metric.js';
import { NodeFunction } from './node-function.js';
import { HEARTBEAT_HANDLER_ENTRY } from './paths.js';
import type { StageConfig } from './stage-config.js';

export interface HeartbeatProps {
  readonly config: StageConfig;
  /** The URL providers use (custom domain in prod): the heartbeat proves exactly that path works. */
  readonly publicBaseUrl: string;
  readonly tracing: boolean;
  /** The stage, routes, permissions and domain mapping: the first heartbeat must find them. */
  readonly dependsOn: readonly IDependable[];
}

/**
 * Silence pages someone: EventBridge runs a small function every `HEARTBEAT.intervalMinutes`, which posts a
 * correctly signed webhook (the reserved heartbeat entry) to the public URL. The handler counts each one it
 * verifies (`HeartbeatCount`); `metric` is what the HeartbeatMissing alarm watches, missing data breaching.
 */
export class Heartbeat extends Construct {
  readonly handler: NodeFunction;
  readonly rule: Rule;
  /** Heartbeats the handler recognised, summed per period; one period always spans at least one schedule tick. */
  readonly metric: Metric;

  constructor(scope: Construct, id: string, props: HeartbeatProps) {
    super(scope, id);
    const { config } = props;
    this.handler = new NodeFunction(this, 'Sender', {
      entry: HEARTBEAT_HANDLER_ENTRY,
      functionName: `ReplyHeartbeat-${config.stage}`,
      description:
        'Posts a signed heartbeat webhook to the public URL (the HeartbeatMissing alarm watches it)',
      memorySize: 256,
      timeout: Duration.seconds(20),
      environment: {
        [ENV.heartbeatUrl]: `${props.publicBaseUrl}${HEARTBEAT.route}`,
        [ENV.heartbeatSecretName]: HEARTBEAT.secretName,
      },
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      tracing: props.tracing,
    });
    // Secrets Manager appends six random characters to every secret ARN.
    this.handler.role.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [
          Stack.of(this).formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${HEARTBEAT.secretName}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    this.rule = new Rule(this, 'Schedule', {
      description: `Heartbeat of the ${config.stage} webhook gateway`,
      schedule: Schedule.rate(Duration.minutes(HEARTBEAT.intervalMinutes)),
      targets: [new LambdaFunction(this.handler.function, { retryAttempts: 0 })],
    });
    for (const dependency of props.dependsOn) this.rule.node.addDependency(dependency);
    this.metric = customMetric(
      config.stage,
      OBSERVABILITY.metrics.heartbeat,
      Duration.minutes(Math.ceil(HEARTBEAT.intervalMinutes * 1.5)),
    );
  }
}
