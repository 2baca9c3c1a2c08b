import type { Stack } from 'aws-cdk-lib';
import { ATTACHMENTS_BUCKET } from '../src/resources.js';

/**
 * Deterministic bucket names (bucket names are global, so account and region are part of them). Both stacks of a
 * stage derive the same name, so the stateless stack grants on and points at a bucket of the stateful one without a
 * cross-stack reference, and IAM resources stay readable: `arn:…:s3:::<name>/attachments/*`. At most 63 characters
 * for every region name and stage.
 */
export function attachmentsBucketName(stack: Stack, stage: string): string {
  return `${ATTACHMENTS_BUCKET.localName}-${stack.account}-${stack.region}-${stage}`;
}

export function sesInboundBucketName(stack: Stack, stage: string): string {
  return `replies-engine-ses-inbound-${stack.account}-${stack.region}-${stage}`;
}

/** A resolved value with pseudo parameters written as `<AWS::…>` and joins flattened (how cdk-nag writes a resource). */
export function flattenResolved(value: unknown): string {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: string }).Ref;
  if (ref) return `<${ref}>`;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(flattenResolved).join(join[0]);
  return JSON.stringify(value);
}

/** How cdk-nag writes a resource in its finding ids: pseudo parameters as `<AWS::…>`, joins flattened. */
export function nagResource(stack: Stack, value: string): string {
  return flattenResolved(stack.resolve(value));
}

/** The finding id form of the ARN of the bucket named `name`. */
export function nagBucketArn(stack: Stack, name: string): string {
  return nagResource(stack, `arn:${stack.partition}:s3:::${name}`);
}
