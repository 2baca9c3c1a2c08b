import { sendHttp } from '../kit/http-request.js';
import type { ChannelType } from '../resources.js';
import { isLocalUrl } from './cli-error.js';
import type { CredentialOptions } from './credentials.js';

/** The flags that already say which secret signs: then the stack is not asked. */
function chosenByFlags(channel: ChannelType, options: CredentialOptions): boolean {
  if (options.secretsFile !== undefined || options.credentialsRef !== undefined) return true;
  return channel === 'email'
    ? options.signingKey !== undefined
    : options.authToken !== undefined && options.accountSid !== undefined;
}

/**
 * Adds the secret the local stack holds for `to` (`GET /_local/api/signing-secret`): the one it will verify with,
 * so a tenant registered and given a secret at run time signs correctly without `--secrets-file` and
 * `--credentials-ref`. Only a local stack is asked (a deployed API never is); when it does not answer, or does not
 * know the address, the options stay as they were (the demo secrets, or the flags).
 */
export async function withStackSecret(
  webhookUrl: string,
  channel: ChannelType,
  to: string,
  options: CredentialOptions,
): Promise<CredentialOptions> {
  if (chosenByFlags(channel, options) || !isLocalUrl(webhookUrl)) return options;
  try {
    const { origin } = new URL(webhookUrl);
    const response = await sendHttp({
      url: `${origin}/_local/api/signing-secret?address=${encodeURIComponent(to)}`,
      method: 'GET',
      headers: [['Accept', 'application/json']],
      connectTimeoutMs: 2000,
      readTimeoutMs: 5000,
    });
    if (response.status !== 200) return options;
    const body = JSON.parse(response.body) as { secret?: unknown };
    const secret = body.secret;
    if (!secret || typeof secret !== 'object' || Array.isArray(secret)) return options;
    return { ...options, stackSecret: secret as Readonly<Record<string, unknown>> };
  } catch {
    return options;
  }
}
