import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_ATTRIBUTES, QUEUES, type QueueKey } from '../src/resources.js';
import { perKey } from './per-key.js';

export interface ReplyQueuesProps {
  readonly stage: string;
  readonly removalPolicy: RemovalPolicy;
}

export interface QueuePair {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

/** The replies and handoff queues of `src/resources.ts`, each with its dead-letter queue, named `<name>-<stage>`. */
export class ReplyQueues extends Construct {
  readonly queues: Record<QueueKey, QueuePair>;

  constructor(scope: Construct, id: string, props: ReplyQueuesProps) {
    super(scope, id);
    this.queues = perKey(QUEUES, (key) => this.createPair(key, props));
  }

  private createPair(key: QueueKey, props: ReplyQueuesProps): QueuePair {
    const { name, deadLetterQueueName } = QUEUES[key];
    // SQS-managed SSE: encrypted at rest with no KMS key policy to maintain for producers and consumers.
    const common = {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
    } as const;
    const deadLetterQueue = new Queue(this, deadLetterQueueName, {
      ...common,
      queueName: `${deadLetterQueueName}-${props.stage}`,
      retentionPeriod: Duration.seconds(QUEUE_ATTRIBUTES.deadLetterRetentionSeconds),
    });
    const queue = new Queue(this, name, {
      ...common,
      queueName: `${name}-${props.stage}`,
      deliveryDelay: Duration.seconds(QUEUE_ATTRIBUTES.delaySeconds),
      visibilityTimeout: Duration.seconds(QUEUE_ATTRIBUTES.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(QUEUE_ATTRIBUTES.messageRetentionSeconds),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: QUEUE_ATTRIBUTES.maxReceiveCount },
    });
    return { queue, deadLetterQueue };
  }

  all(): QueuePair[] {
    return Object.values(this.queues);
  }
}
