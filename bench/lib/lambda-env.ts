import { ENV, QUEUE_URL_ENV } from '../../src/resources.js';

/**
 * What `loadConfig` needs to import the handler outside AWS: the Lambda's required variables with dummy values
 * (nothing is called at import time), a region as the runtime sets one, and the SDK's Node-version warning off —
 * Lambda runs Node 22, where the SDK does not print it, so it must not be timed here on Node 20.
 */
export function lambdaEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [ENV.stage]: 'prod',
  };
  for (const name of Object.values(QUEUE_URL_ENV)) {
    env[name] = `https://sqs.us-east-1.amazonaws.com/123456789012/${name.toLowerCase()}`;
  }
  return { ...env, ...overrides };
}
