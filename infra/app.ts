import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeployOptions } from './stage-config.js';
import { WebhookStack, webhookStackName } from './webhook-stack.js';

/**
 * CDK entry point: `npm run synth -- -c stage=prod`, `npm run deploy -- -c stage=dev -c alarmEmail=ops@example.com`.
 * Context: stage (dev|staging|prod, default dev), alarmEmail, enableWaf, enableTracing, corsAllowOrigin,
 * domainName + certificateArn. The stack is environment-agnostic (no account/region at synth), so synth runs offline
 * without credentials; `cdk deploy` deploys to the account and region of the active AWS profile.
 */
const app = new App();
const options = readDeployOptions(app.node);
const stage = options.config.stage;

new WebhookStack(app, webhookStackName(stage), {
  stackName: webhookStackName(stage),
  description: `Replies engine webhook gateway (${stage}): API Gateway, IncomingWebhookHandler, DynamoDB, SQS, alarms`,
  options,
});
Tags.of(app).add('project', 'replies-engine');
Tags.of(app).add('component', 'webhook-gateway');
Tags.of(app).add('stage', stage);

// cdk-nag v3 runs as a CDK policy-validation plugin: an unacknowledged error fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
