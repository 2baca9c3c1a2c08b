import { AWS_CLIENTS } from '../../resources.js';
import type { ClientSettings } from './aws-clients.js';

export interface ClientIdentity {
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The settings every AWS SDK client of the gateway shares: two attempts with a per-attempt timeout bound every
 * call (worst case 2 × AWS_CALL_TIMEOUT_MS plus backoff, well inside Twilio's 15 s). `minRequestTimeoutMs` lets a
 * client that moves large bodies (S3 parts) wait longer per attempt.
 */
export function clientDefaults(
  config: Pick<ClientSettings, 'awsCallTimeoutMs'>,
  identity: ClientIdentity,
  minRequestTimeoutMs = 0,
) {
  return {
    maxAttempts: AWS_CLIENTS.maxAttempts,
    requestHandler: {
      connectionTimeout: Math.min(AWS_CLIENTS.connectMs, config.awsCallTimeoutMs),
      requestTimeout: Math.max(minRequestTimeoutMs, config.awsCallTimeoutMs),
      // Without this, @smithy/node-http-handler (4.x) only logs a warning when requestTimeout passes and keeps
      // waiting: a hung call would hold the webhook until the Lambda timeout.
      throwOnRequestTimeout: true,
    },
    ...(identity.region ? { region: identity.region } : {}),
    ...(identity.credentials ? { credentials: identity.credentials } : {}),
  };
}
