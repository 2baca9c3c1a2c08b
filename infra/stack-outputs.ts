import { CfnOutput, type Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { QUEUES, type QueueKey, TABLES, type TableKey } from '../src/resources.js';
import type { QueuePair } from './reply-queues.js';

export interface DataOutputsProps {
  readonly tables: Record<TableKey, Table>;
  readonly queues: Record<QueueKey, QueuePair>;
}

/**
 * What the consuming teams and the CLI need from the stateful stack: every queue and DLQ (URL and ARN) and the table
 * names. Defined on the stack itself so the output names are exactly these ids (no construct-path hash).
 */
export function addDataOutputs(scope: Stack, props: DataOutputsProps): void {
  for (const key of Object.keys(props.queues) as QueueKey[]) {
    const { queue, deadLetterQueue } = props.queues[key];
    const { name, deadLetterQueueName } = QUEUES[key];
    const dlq = deadLetterQueueName.replace(/-/g, '');
    new CfnOutput(scope, `${name}Url`, {
      value: queue.queueUrl,
      description: `${name} URL (consumers poll it)`,
    });
    new CfnOutput(scope, `${name}Arn`, { value: queue.queueArn, description: `${name} ARN` });
    new CfnOutput(scope, `${dlq}Url`, {
      value: deadLetterQueue.queueUrl,
      description: `${deadLetterQueueName} URL`,
    });
    new CfnOutput(scope, `${dlq}Arn`, {
      value: deadLetterQueue.queueArn,
      description: `${deadLetterQueueName} ARN`,
    });
  }
  for (const key of Object.keys(props.tables) as TableKey[]) {
    const { localName } = TABLES[key];
    new CfnOutput(scope, `${localName}TableName`, {
      value: props.tables[key].tableName,
      description: `DynamoDB table ${localName}`,
    });
  }
}

/** One output per entry, `id: [value, description]`, in the order given. */
export function addOutputs(scope: Construct, outputs: Record<string, readonly [string, string]>): void {
  for (const [id, [value, description]] of Object.entries(outputs))
    new CfnOutput(scope, id, { value, description });
}
