import { Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATTACHMENTS_BUCKET, SES } from '../src/resources.js';

export interface AttachmentsReadPolicyProps {
  readonly stage: string;
  readonly attachments: Bucket;
  /** With SES inbound: the raw messages a context points at (`message.raw_email`). */
  readonly sesInbound?: Bucket;
}

/**
 * What a consumer (the AI worker, the handoff tool) attaches to its role to read what a queued context points at:
 * attachments and full bodies under the attachments prefix, raw SES messages under the inbound prefix. GetObject
 * only: no listing, no writes, no deletes.
 */
export class AttachmentsReadPolicy extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: AttachmentsReadPolicyProps) {
    super(scope, id);
    const grants: [Bucket, string][] = [[props.attachments, ATTACHMENTS_BUCKET.keyPrefix]];
    if (props.sesInbound) grants.push([props.sesInbound, SES.inboundObjectKeyPrefix]);
    const resources = grants.map(([bucket, prefix]) => bucket.arnForObjects(`${prefix}*`));
    this.policy = new ManagedPolicy(this, 'Policy', {
      managedPolicyName: `replies-engine-attachments-read-${props.stage}`,
      description: 'Read the attachments, full bodies and raw emails that queued reply contexts point at',
      statements: [new PolicyStatement({ actions: ['s3:GetObject'], resources })],
    });
    for (const [bucket, prefix] of grants) {
      const bucketId = Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket);
      Validations.of(this.policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason:
          'Object keys are made per company, conversation and message at run time; the policy is GetObject only, ' +
          'on the one prefix of each bucket the gateway writes (no listing, no other object).',
      });
    }
  }
}
