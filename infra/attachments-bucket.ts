import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct, type Node } from 'constructs';
import { ATTACHMENTS_BUCKET, ENV, TABLES } from '../src/resources.js';
import { nagBucketArn } from './bucket-names.js';

/** CDK context key for the attachments' lifecycle expiry in days (default `ATTACHMENTS_BUCKET.defaultExpiryDays`). */
export const EXPIRY_CONTEXT_KEY = 'attachmentsExpiryDays';

export function readAttachmentsExpiryDays(node: Node): number {
  const raw: unknown = node.tryGetContext(EXPIRY_CONTEXT_KEY);
  if (raw === undefined || raw === null || raw === '') return ATTACHMENTS_BUCKET.defaultExpiryDays;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(
      `Context "${EXPIRY_CONTEXT_KEY}" must be a whole number of days ≥ 1, got "${String(raw)}"`,
    );
  }
  return days;
}

export interface AttachmentsBucketProps {
  readonly bucketName: string;
  readonly removalPolicy: RemovalPolicy;
  readonly expiryDays: number;
}

/**
 * Email attachments (CVs) the webhook stores before queueing: private, encrypted, TLS only, expired by lifecycle.
 * Named `attachmentsBucketName` (account, region, stage); the function learns it from ATTACHMENTS_BUCKET.
 */
export class AttachmentsBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: AttachmentsBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-attachments',
          prefix: ATTACHMENTS_BUCKET.keyPrefix,
          expiration: Duration.days(props.expiryDays),
        },
        {
          id: 'abort-incomplete-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(ATTACHMENTS_BUCKET.abortIncompleteMultipartDays),
        },
      ],
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Server access logs would need a second bucket for objects written only by this stack’s one function role ' +
        '(PutObject under attachments/); who reads them is the consumers’ concern, audited with CloudTrail data ' +
        'events where required.',
    });
  }
}

/**
 * The webhook function may write objects under the prefix and abort its own multipart uploads; it can never read,
 * list or delete. Also tells it the bucket's name. `bucket` is imported by its deterministic name.
 */
export function grantAttachmentStore(fn: LambdaFunction & IGrantable, bucket: IBucket): void {
  fn.addEnvironment(ENV.attachmentsBucket, bucket.bucketName);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: [bucket.arnForObjects(`${ATTACHMENTS_BUCKET.keyPrefix}*`)],
    }),
  );
  if (fn.role) {
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagBucketArn(Stack.of(fn), bucket.bucketName)}/${ATTACHMENTS_BUCKET.keyPrefix}*]`,
      reason:
        'Attachment keys are per company, conversation and message (attachments/<company>/<conversation>/…), ' +
        'made at run time; the wildcard is limited to writing under that one prefix.',
    });
  }
}

/** Query on the keys-only `conversation_id` index only (finding a plus-addressed conversation by its id). */
export function grantConversationIdIndex(fn: LambdaFunction, conversations: ITable): void {
  const index = TABLES.conversations.globalSecondaryIndexes.find(
    (i) => i.partitionKey.name === 'conversation_id',
  );
  if (!index) throw new Error('No conversation_id index in TABLES.conversations');
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: [`${conversations.tableArn}/index/${index.indexName}`],
    }),
  );
}
