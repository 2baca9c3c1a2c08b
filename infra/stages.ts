import type { StageDeployment } from './deployment-schema.js';

/**
 * THE deployed shape of every stage, committed and reviewed like code: `npm run synth -- -c stage=prod` builds prod
 * exactly as it runs once live from this file alone. `-c key=value` overrides a value for an experiment
 * (`-c key=none` removes an optional one); the first deploy of a stage adds `-c phase=first` (docs/deploy.md).
 *
 * The prod and staging values below are EXAMPLES (account 123456789012, example.com): replace them with the real
 * account, region, domain, certificate and addresses in the pull request that sets a stage up.
 */
export const STAGE_DEPLOYMENTS = {
  dev: {
    // No account or region: dev deploys to the account and region of the developer's credentials.
    enableWaf: false,
    enableTracing: false,
    corsAllowOrigin: '*',
    heartbeat: false,
    manageApiGatewayAccount: true,
  },
  staging: {
    account: '123456789012',
    region: 'eu-west-1',
    enableWaf: true,
    enableTracing: false,
    corsAllowOrigin: '*',
    alarmEmail: 'ops@example.com',
    heartbeat: false,
    // One stage per account and region owns the account-wide API Gateway logging role: prod, below.
    manageApiGatewayAccount: false,
  },
  prod: {
    account: '123456789012',
    region: 'eu-west-1',
    customDomain: {
      domainName: 'hooks.example.com',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
    },
    enableWaf: true,
    enableTracing: true,
    corsAllowOrigin: '*',
    sesDomain: 'mail.example.com',
    alarmEmail: 'ops@example.com',
    // The AI's monthly budget: messages past it go to people (HandoffQueue, quota_exceeded), never refused.
    monthlyQuota: 50_000,
    heartbeat: true,
    manageApiGatewayAccount: true,
  },
} as const satisfies Record<'dev' | 'staging' | 'prod', StageDeployment>;
