import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IPrincipal, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_ATTRIBUTES, SES } from '../src/resources.js';
import { sesInboundBucketName } from './bucket-names.js';

/** The SES inbound topic's name: fixed, so the stateful stack can trust it without referencing the other stack. */
export function sesTopicName(stage: string): string {
  return `replies-engine-ses-inbound-${stage}`;
}

export function sesRuleSetName(stage: string): string {
  return `replies-inbound-${stage}`;
}

export interface SesInboundStoreProps {
  readonly stage: string;
  readonly removalPolicy: RemovalPolicy;
}

/** Lets an AWS service use `key` for data keys (encrypt and decrypt), only when `conditions` hold. */
export function allowServiceKeyUse(key: Key, service: IPrincipal, conditions: Record<string, unknown>): void {
  key.addToResourcePolicy(
    new PolicyStatement({
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      principals: [service],
      resources: ['*'],
      conditions,
    }),
  );
}

/**
 * What SES inbound keeps (stateful stack): the bucket SES writes raw messages to, and the dead-letter queue of the
 * SNS → `/email` subscription. A notification SNS gives up on is parked there, encrypted, for
 * `replies-webhooks ses replay` — instead of being discarded after the retries.
 */
export class SesInboundStore extends Construct {
  readonly bucket: Bucket;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SesInboundStoreProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const sns = new ServicePrincipal('sns.amazonaws.com');

    this.bucket = new Bucket(this, 'InboundBucket', {
      bucketName: sesInboundBucketName(stack, props.stage),
      // SSE-S3: SES's S3 action writes with it without a key grant; the messages are read by one function only.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // The raw message is needed until the notification is processed or replayed from the dead-letter queue.
      lifecycleRules: [{ expiration: Duration.days(SES.inboundRetentionDays) }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: false,
    });
    // SES writes each received message under the prefix, for this account's rule set only. (Here, not through the
    // receipt rule's S3 action: the rule lives in the stateless stack, which must not edit this stack's policy.)
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        resources: [this.bucket.arnForObjects(`${SES.inboundObjectKeyPrefix}*`)],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'ses',
              resource: 'receipt-rule-set',
              resourceName: `${sesRuleSetName(props.stage)}:receipt-rule/*`,
            }),
          },
        },
      }),
    );
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Objects are written only by SES (bucket policy, source-account condition) and read only by the webhook ' +
        'function, and expire after a week; CloudTrail data events are the audit trail if one is required.',
    });

    // SNS can write to an encrypted queue only under a customer managed key whose policy lets SNS use it.
    const key = new Key(this, 'DeadLetterKey', {
      description: `SES inbound notifications SNS could not deliver (${props.stage})`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    const topicArn = stack.formatArn({ service: 'sns', resource: sesTopicName(props.stage) });
    const fromOurTopic = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnEquals: { 'aws:SourceArn': topicArn },
    };
    allowServiceKeyUse(key, sns, fromOurTopic);
    this.deadLetterQueue = new Queue(this, 'NotificationDeadLetterQueue', {
      queueName: `${SES.notificationDeadLetterQueueName}-${props.stage}`,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(QUEUE_ATTRIBUTES.deadLetterRetentionSeconds),
      removalPolicy: props.removalPolicy,
    });
    // The topic lives in the stateless stack; naming it here keeps the dependency one-way.
    this.deadLetterQueue.addToResourcePolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        principals: [sns],
        resources: [this.deadLetterQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': topicArn } },
      }),
    );
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue IS the dead-letter queue of the SES inbound SNS subscription; its messages are replayed by ' +
        'the CLI (replies-webhooks ses replay), not consumed by a worker that could poison it.',
    });
  }
}
