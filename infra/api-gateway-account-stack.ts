import { type CfnResource, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export const API_GATEWAY_ACCOUNT_STACK_NAME = 'RepliesEngineApiGatewayAccount';

/**
 * The one per-account-and-region setting API Gateway needs before any stage can write execution logs: the
 * CloudWatch role in `AWS::ApiGateway::Account`. Its own small stack, deployed by the one stage whose
 * `manageApiGatewayAccount` is true, so no stage's stack forces it on the others or strands it on rollback.
 * Both are retained on delete: other APIs in the account may log through the same role.
 */
export class ApiGatewayAccountStack extends Stack {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.role = new Role(this, 'CloudWatchRole', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway writes execution logs of every REST API in this account and region',
      managedPolicies: [
        ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const account = new CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    (account as CfnResource).applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'Account-level role API Gateway assumes to write execution logs to any API log group it creates; this ' +
        'AWS-managed policy is the documented, exact permission set for that service role.',
    });
  }
}
