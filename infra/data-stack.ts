import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AttachmentsBucket, readAttachmentsExpiryDays } from './attachments-bucket.js';
import { AttachmentsReadPolicy } from './attachments-read-policy.js';
import { attachmentsBucketName } from './bucket-names.js';
import { DataTables } from './data-tables.js';
import { ReplyQueues } from './reply-queues.js';
import { SesInboundStore } from './ses-inbound-store.js';
import { addDataOutputs, addOutputs } from './stack-outputs.js';
import type { DeployOptions } from './stage-config.js';

export interface DataStackProps extends StackProps {
  readonly options: DeployOptions;
}

export function dataStackName(stage: string): string {
  return `RepliesEngineData-${stage}`;
}

/**
 * The stateful half of a stage: tables, queues and buckets — what holds conversations and messages. Changed
 * rarely, termination-protected in prod, everything retained on delete. Tables are deletion-protected only from the
 * live phase on, so a failed first create can always roll back (see `StageConfig.deletionProtection`).
 */
export class DataStack extends Stack {
  readonly tables: DataTables;
  readonly queues: ReplyQueues;
  readonly attachments: AttachmentsBucket;
  readonly sesInbound?: SesInboundStore;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    // From the live phase on: a failed first create must stay deletable (cdk deploy deletes a stack left in
    // ROLLBACK_COMPLETE before creating it again).
    super(scope, id, {
      ...props,
      terminationProtection: props.options.config.terminationProtection && props.options.phase === 'live',
    });
    const { options } = props;
    const { config } = options;

    this.tables = new DataTables(this, 'Tables', {
      stage: config.stage,
      removalPolicy: config.removalPolicy,
      deletionProtection: config.deletionProtection && options.phase === 'live',
    });
    this.queues = new ReplyQueues(this, 'Queues', {
      stage: config.stage,
      removalPolicy: config.removalPolicy,
    });
    this.attachments = new AttachmentsBucket(this, 'Attachments', {
      bucketName: attachmentsBucketName(this, config.stage),
      removalPolicy: config.removalPolicy,
      expiryDays: readAttachmentsExpiryDays(this.node),
    });
    if (options.sesDomain) {
      this.sesInbound = new SesInboundStore(this, 'SesInbound', {
        stage: config.stage,
        removalPolicy: config.removalPolicy,
      });
    }
    const readPolicy = new AttachmentsReadPolicy(this, 'AttachmentsRead', {
      stage: config.stage,
      attachments: this.attachments.bucket,
      ...(this.sesInbound ? { sesInbound: this.sesInbound.bucket } : {}),
    });

    addDataOutputs(this, { tables: this.tables.tables, queues: this.queues.queues });
    addOutputs(this, {
      AttachmentsBucketName: [
        this.attachments.bucket.bucketName,
        'Bucket holding email attachments and full bodies (keys in each queued context)',
      ],
      AttachmentsReadPolicyArn: [
        readPolicy.policy.managedPolicyArn,
        'Managed policy to attach to a consumer role: read attachments, full bodies and raw SES mail',
      ],
      ...(this.sesInbound && {
        SesInboundBucketName: [
          this.sesInbound.bucket.bucketName,
          'Raw messages SES received (inbound/…), kept for replay',
        ],
        SesNotificationDLQUrl: [
          this.sesInbound.deadLetterQueue.queueUrl,
          'Notifications SNS could not deliver to /email: replies-webhooks ses replay',
        ],
      }),
    });
  }
}
