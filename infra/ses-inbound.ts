import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { S3 } from 'aws-cdk-lib/aws-ses-actions';
import { BackoffFunction, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ENV, SES } from '../src/resources.js';

export interface SesInboundProps {
  readonly stage: string;
  /** The receiving domain (`-c sesDomain=…`): its MX record points at SES inbound in this region. */
  readonly sesDomain: string;
  /** Public URL of the `/email` route; SNS posts the notifications there. */
  readonly emailWebhookUrl: string;
  readonly webhookFunction: NodejsFunction;
  readonly webhookRole: Role;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Amazon SES inbound for one stage (opt-in): a receipt rule stores each message in the inbound bucket
 * and notifies an encrypted SNS topic, which POSTs to `/email` over HTTPS. The function may read that bucket's
 * objects and send email as the domain (the SES fallback), nothing else. The rule set must be activated once by
 * hand (`aws ses set-active-receipt-rule-set`): CloudFormation cannot activate one, and an account has one active set.
 */
export class SesInbound extends Construct {
  readonly bucket: Bucket;
  readonly topic: Topic;
  readonly ruleSet: ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: SesInboundProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const ses = new ServicePrincipal('ses.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
    const ruleSetName = `replies-inbound-${props.stage}`;

    this.bucket = new Bucket(this, 'InboundBucket', {
      // SSE-S3: SES's S3 action writes with it without a key grant; the messages are read by one function only.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // The raw message is needed until the notification is processed; SNS gives up retrying within hours.
      lifecycleRules: [{ expiration: Duration.days(SES.inboundRetentionDays) }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: false,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Objects are written only by SES (bucket policy, source-account condition) and read only by the webhook ' +
        'function, and expire after a week; CloudTrail data events are the audit trail if one is required.',
    });

    const key = new Key(this, 'TopicKey', {
      description: `SES inbound notifications (${props.stage})`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    // SES publishes to the encrypted topic: it needs the data key, and only on behalf of this account.
    key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        principals: [ses],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );

    this.topic = new Topic(this, 'InboundTopic', {
      displayName: `SES inbound (${props.stage})`,
      masterKey: key,
      enforceSSL: true,
      // SHA256withRSA; the gateway verifies versions 1 and 2.
      signatureVersion: '2',
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        actions: ['sns:Publish'],
        principals: [ses],
        resources: [this.topic.topicArn],
        conditions: {
          ...fromThisAccount,
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'ses',
              resource: 'receipt-rule-set',
              resourceName: `${ruleSetName}:receipt-rule/*`,
            }),
          },
        },
      }),
    );
    this.topic.addSubscription(
      new UrlSubscription(props.emailWebhookUrl, {
        protocol: SubscriptionProtocol.HTTPS,
        // SNS's default for HTTP/S is 3 retries 20 s apart: a one-minute outage would lose mail. This spreads 60
        // retries over about 50 minutes (SNS's hard limit is 3,600 s); the raw message stays in the bucket for a week.
        deliveryPolicy: {
          healthyRetryPolicy: {
            numRetries: SES.snsDeliveryRetries.numRetries,
            numNoDelayRetries: 0,
            numMinDelayRetries: 2,
            numMaxDelayRetries: SES.snsDeliveryRetries.numMaxDelayRetries,
            minDelayTarget: Duration.seconds(SES.snsDeliveryRetries.minDelaySeconds),
            maxDelayTarget: Duration.seconds(SES.snsDeliveryRetries.maxDelaySeconds),
            backoffFunction: BackoffFunction.EXPONENTIAL,
          },
        },
      }),
    );

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: ruleSetName });
    this.ruleSet.addRule('Inbound', {
      recipients: [props.sesDomain],
      // Spam and virus scanning produce the verdicts the gateway routes on.
      scanEnabled: true,
      tlsPolicy: TlsPolicy.OPTIONAL,
      // The S3 action adds SES's PutObject grant with an aws:SourceAccount condition to the bucket policy.
      actions: [
        new S3({ bucket: this.bucket, objectKeyPrefix: SES.inboundObjectKeyPrefix, topic: this.topic }),
      ],
    });

    // Exactly the objects SES writes, nothing else in the bucket, and no listing.
    const inboundObjects = this.bucket.arnForObjects(`${SES.inboundObjectKeyPrefix}*`);
    props.webhookRole.addToPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [inboundObjects] }),
    );
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    Validations.of(props.webhookRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${SES.inboundObjectKeyPrefix}*]`,
      reason:
        'SES names each object after its own message id, unknown in advance; the grant is GetObject only, on the ' +
        'inbound prefix of the one bucket SES writes to (no listing, no other bucket).',
    });
    const identityArn = stack.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.sesDomain,
    });
    props.webhookRole.addToPolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: [identityArn] }),
    );
    props.webhookFunction.addEnvironment(ENV.sesTopicArns, this.topic.topicArn);
    props.webhookFunction.addEnvironment(ENV.sesInboundBucket, this.bucket.bucketName);
  }
}
