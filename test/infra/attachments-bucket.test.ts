import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPIRY_CONTEXT_KEY } from '../../infra/attachments-bucket.js';
import { flattenResolved as flatten } from '../../infra/bucket-names.js';
import { ATTACHMENTS_BUCKET, ENV } from '../../src/resources.js';
import { policyStatements, resourcesOfType, type Synthesised, synthWebhookStack } from './synth.js';

let synthesised: Synthesised;

beforeAll(() => {
  synthesised = synthWebhookStack({ context: { stage: 'dev' } });
});

function bucket(s: Synthesised = synthesised): { id: string; props: Record<string, unknown> } {
  const buckets = resourcesOfType(s.dataTemplate, 'AWS::S3::Bucket');
  expect(buckets).toHaveLength(1);
  const [id, resource] = buckets[0] as [string, { Properties?: Record<string, unknown> }];
  return { id, props: resource.Properties ?? {} };
}

describe('attachments bucket', () => {
  it('is private, encrypted at rest and owner-enforced', () => {
    const { props } = bucket();
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('refuses every request that is not TLS', () => {
    const { id } = bucket();
    synthesised.dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it(`expires attachments after ${ATTACHMENTS_BUCKET.defaultExpiryDays} days by default, and aborts stale uploads`, () => {
    const rules = (bucket().props.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual([
      {
        Id: 'expire-attachments',
        Prefix: ATTACHMENTS_BUCKET.keyPrefix,
        ExpirationInDays: ATTACHMENTS_BUCKET.defaultExpiryDays,
        Status: 'Enabled',
      },
      {
        Id: 'abort-incomplete-uploads',
        AbortIncompleteMultipartUpload: {
          DaysAfterInitiation: ATTACHMENTS_BUCKET.abortIncompleteMultipartDays,
        },
        Status: 'Enabled',
      },
    ]);
  });

  it(`takes the expiry from -c ${EXPIRY_CONTEXT_KEY}=…, and refuses nonsense`, () => {
    const custom = synthWebhookStack({ context: { stage: 'dev', [EXPIRY_CONTEXT_KEY]: '14' } });
    const rules = (bucket(custom).props.LifecycleConfiguration as { Rules: { ExpirationInDays?: number }[] })
      .Rules;
    expect(rules[0]?.ExpirationInDays).toBe(14);
    expect(() => synthWebhookStack({ context: { stage: 'dev', [EXPIRY_CONTEXT_KEY]: '0' } })).toThrow(
      /whole number of days/,
    );
    expect(() => synthWebhookStack({ context: { stage: 'dev', [EXPIRY_CONTEXT_KEY]: 'forever' } })).toThrow(
      /whole number of days/,
    );
  });

  it('the webhook may only write under the prefix: no read, list or delete anywhere', () => {
    const { props } = bucket();
    const s3Statements = policyStatements(synthesised.template).filter((s) =>
      [s.Action].flat().some((action) => action.startsWith('s3:')),
    );
    expect(s3Statements).toHaveLength(1);
    expect(s3Statements[0]).toMatchObject({
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
    });
    // The same deterministic name the stateful stack gives the bucket.
    expect(flatten(s3Statements[0]?.Resource)).toBe(
      `arn:<AWS::Partition>:s3:::${flatten(props.BucketName)}/${ATTACHMENTS_BUCKET.keyPrefix}*`,
    );
  });

  it('tells the function the bucket name in ATTACHMENTS_BUCKET', () => {
    const { props } = bucket();
    synthesised.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'IncomingWebhookHandler-dev',
      Environment: { Variables: Match.objectLike({ [ENV.attachmentsBucket]: props.BucketName }) },
    });
  });

  it('exports the bucket name and a managed policy consumers attach to read attachments and full bodies', () => {
    const { id, props } = bucket();
    expect(flatten(props.BucketName)).toBe(
      `${ATTACHMENTS_BUCKET.localName}-<AWS::AccountId>-<AWS::Region>-dev`,
    );
    synthesised.dataTemplate.hasOutput('AttachmentsBucketName', { Value: { Ref: id } });
    const [[policyId, policy]] = resourcesOfType(
      synthesised.dataTemplate,
      'AWS::IAM::ManagedPolicy',
    ) as unknown as [[string, { Properties?: Record<string, unknown> }]];
    synthesised.dataTemplate.hasOutput('AttachmentsReadPolicyArn', { Value: { Ref: policyId } });
    expect(policy.Properties?.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: {
            'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, `/${ATTACHMENTS_BUCKET.keyPrefix}*`]],
          },
        },
      ],
    });
  });

  it('lets the function Query the conversation_id index and no other index', () => {
    const indexStatements = policyStatements(synthesised.template).filter((s) =>
      JSON.stringify(s.Resource).includes('/index/'),
    );
    expect(indexStatements).toHaveLength(1);
    expect(indexStatements[0]?.Action).toBe('dynamodb:Query');
    expect(JSON.stringify(indexStatements[0]?.Resource)).toContain('/index/conversation_id-index');
  });
});
