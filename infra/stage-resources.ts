import { Stack } from 'aws-cdk-lib';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deployedTableName, QUEUES, type QueueKey, SES, TABLES, type TableKey } from '../src/resources.js';
import { perKey } from './per-key.js';

export interface QueueRefs {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
}

/**
 * The stateful stack's tables and queues as the stateless stack sees them: by their deterministic names, never by
 * cross-stack reference. The two stacks then deploy, roll back and replace independently (an export could not be
 * changed while imported), and every ARN in a policy reads as the resource's name.
 */
export class StageResources extends Construct {
  readonly tables: Record<TableKey, ITable>;
  readonly queues: Record<QueueKey, QueueRefs>;
  /** With SES inbound: the SNS subscription's dead-letter queue. */
  readonly sesNotificationDeadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: { readonly stage: string }) {
    super(scope, id);
    const stack = Stack.of(this);
    const queue = (name: string): IQueue =>
      Queue.fromQueueArn(this, name, stack.formatArn({ service: 'sqs', resource: `${name}-${props.stage}` }));
    this.tables = perKey(TABLES, (key) =>
      Table.fromTableName(this, TABLES[key].localName, deployedTableName(key, props.stage)),
    );
    this.queues = perKey(QUEUES, (key) => ({
      queue: queue(QUEUES[key].name),
      deadLetterQueue: queue(QUEUES[key].deadLetterQueueName),
    }));
    this.sesNotificationDeadLetterQueue = queue(SES.notificationDeadLetterQueueName);
  }
}
