/**
 * The heartbeat Lambda (composition root): EventBridge invokes it every `HEARTBEAT.intervalMinutes`; it signs one
 * heartbeat with the reserved entry's secret and posts it to the public URL. A non-2xx answer or a network error
 * fails the invocation; either way the handler counts no heartbeat and the HeartbeatMissing alarm pages.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadHeartbeatConfig } from '../config.js';
import { buildHeartbeatRequest, parseHeartbeatCredentials } from './heartbeat-request.js';

const config = loadHeartbeatConfig(process.env);
const secrets = new SecretsManagerClient({});

export async function handler(): Promise<{ status: number }> {
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: config.secretName }));
  const request = buildHeartbeatRequest(config.url, parseHeartbeatCredentials(secret.SecretString));
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`heartbeat answered ${response.status}`);
  return { status: response.status };
}
