import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addStageStacks } from './app-stacks.js';
import { readDeployOptions } from './stage-config.js';

/**
 * CDK entry point: `npm run synth -- -c stage=prod` builds the stage exactly as committed in `infra/stages.ts` (no
 * other flag, offline); `npm run deploy -- -c stage=prod` deploys it. `-c key=value` overrides one committed
 * value for an experiment; `-c phase=first` is the first deploy of a stage (docs/deploy.md). Stacks with a committed
 * account and region are pinned to them: credentials for another account fail the deploy.
 */
const app = new App();
const options = readDeployOptions(app.node);
const stage = options.config.stage;

addStageStacks(app, options);
Tags.of(app).add('project', 'replies-engine');
Tags.of(app).add('component', 'webhook-gateway');
Tags.of(app).add('stage', stage);

// cdk-nag v3 runs as a CDK policy-validation plugin: an unacknowledged error fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
