import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { S3 } from 'aws-cdk-lib/aws-ses-actions';
import { BackoffFunction, Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IDependable } from 'constructs';
import { ENV, SES } from '../src/resources.js';
import { nagBucketArn, sesInboundBucketName } from './bucket-names.js';
import { allowServiceKeyUse, sesRuleSetName, sesTopicName } from './ses-inbound-store.js';

export interface SesInboundProps {
  readonly stage: string;
  /** The receiving domain: its MX record points at SES inbound in this region. */
  readonly sesDomain: string;
  /** The subscription's dead-letter queue (stateful stack, `SesInboundStore`), by name. */
  readonly deadLetterQueue: IQueue;
  /**
   * Public URL of the `/email` route SNS posts to, or undefined for the first deploy (before DNS): SNS checks the
   * endpoint when subscribing, so the subscription is created only once the URL can answer.
   */
  readonly emailWebhookUrl?: string;
  /** What must exist before SNS sends the SubscriptionConfirmation: the stage, the route and its invoke permission. */
  readonly subscriptionDependsOn: readonly IDependable[];
  readonly webhookFunction: NodejsFunction;
  readonly webhookRole: Role;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Amazon SES inbound for one stage (stateless half): a receipt rule stores each message in the inbound bucket and
 * notifies an encrypted SNS topic, which POSTs to `/email` over HTTPS, at most `SES.snsMaxReceivesPerSecond`, and
 * parks what it cannot deliver in the dead-letter queue. The function may read the bucket's inbound objects and send
 * email as the domain (the SES fallback), nothing else. The rule set must be activated once by hand
 * (`aws ses set-active-receipt-rule-set`): CloudFormation cannot activate one, and an account has one active set.
 */
export class SesInbound extends Construct {
  readonly bucket: IBucket;
  readonly topic: Topic;
  readonly ruleSet: ReceiptRuleSet;
  readonly subscription?: Subscription;

  constructor(scope: Construct, id: string, props: SesInboundProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const ses = new ServicePrincipal('ses.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
    const ruleSetName = sesRuleSetName(props.stage);
    this.bucket = Bucket.fromBucketName(this, 'InboundBucket', sesInboundBucketName(stack, props.stage));

    const key = new Key(this, 'TopicKey', {
      description: `SES inbound notifications (${props.stage})`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    // SES publishes to the encrypted topic: it needs the data key, and only on behalf of this account.
    allowServiceKeyUse(key, ses, fromThisAccount);

    this.topic = new Topic(this, 'InboundTopic', {
      topicName: sesTopicName(props.stage),
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
    if (props.emailWebhookUrl) {
      this.subscription = new Subscription(this, 'EmailWebhook', {
        topic: this.topic,
        endpoint: props.emailWebhookUrl,
        protocol: SubscriptionProtocol.HTTPS,
        // Imported by name: the queue policy naming this topic lives with the queue (stateful stack).
        deadLetterQueue: props.deadLetterQueue,
        // SNS's default for HTTP/S is 3 retries 20 s apart: a one-minute outage would lose mail. This spreads 60
        // retries over about 50 minutes (SNS's hard limit is 3,600 s); then the dead-letter queue keeps it.
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
          throttlePolicy: { maxReceivesPerSecond: SES.snsMaxReceivesPerSecond },
        },
      });
      for (const dependency of props.subscriptionDependsOn) this.subscription.node.addDependency(dependency);
    }

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: ruleSetName });
    const rule = this.ruleSet.addRule('Inbound', {
      recipients: [props.sesDomain],
      // Spam and virus scanning produce the verdicts the gateway routes on.
      scanEnabled: true,
      tlsPolicy: TlsPolicy.OPTIONAL,
      // SES's PutObject grant is on the bucket, in the stateful stack (`SesInboundStore`).
      actions: [
        new S3({ bucket: this.bucket, objectKeyPrefix: SES.inboundObjectKeyPrefix, topic: this.topic }),
      ],
    });

    Validations.of(rule).acknowledge({
      id: 'Annotation::@aws-cdk/s3:AddBucketPermissions',
      reason:
        "SES's PutObject grant is on the inbound bucket's policy in the stateful stack (SesInboundStore), limited " +
        'to this account and this rule set; the stateless stack only names the bucket.',
    });

    // Exactly the objects SES writes, nothing else in the bucket, and no listing.
    const inboundObjects = this.bucket.arnForObjects(`${SES.inboundObjectKeyPrefix}*`);
    props.webhookRole.addToPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [inboundObjects] }),
    );
    Validations.of(props.webhookRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagBucketArn(stack, this.bucket.bucketName)}/${SES.inboundObjectKeyPrefix}*]`,
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
