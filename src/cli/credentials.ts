import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO, demoCompanyChannel } from '../kit/demo-data.js';
import type { ChannelType } from '../resources.js';
import { CliError, UsageError } from './cli-error.js';

/** The local stack's default secrets (path kept here so the CLI does not load the whole local stack). */
const DEMO_SECRETS_FILE = fileURLToPath(new URL('../local/demo-secrets.json', import.meta.url));

export { demoCompanyChannel };

export interface CredentialOptions {
  readonly secretsFile?: string;
  /** A `credentials_reference` in the secrets file; needed when the file holds several for the channel. */
  readonly credentialsRef?: string;
  readonly authToken?: string;
  readonly accountSid?: string;
  readonly signingKey?: string;
  /** The secret the local stack holds for the address (`withStackSecret`); flags naming a secret win over it. */
  readonly stackSecret?: Readonly<Record<string, unknown>>;
}

export interface TwilioCredentials {
  readonly authToken: string;
  readonly accountSid: string;
}

function readSecrets(file: string): Record<string, Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read secrets file ${file}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, Record<string, unknown>>;
  } catch {
    // reported below
  }
  throw new CliError(`secrets file ${file} is not a JSON object of credentials_reference → secret`);
}

/**
 * The secret that signs for this channel: an explicit `--credentials-ref`, else the demo reference when posting
 * to the demo channel, else the only `{channel}-credentials/…` entry of the file.
 */
export function findSecret(
  channel: ChannelType,
  to: string,
  options: CredentialOptions,
  /** Which secrets are this provider's (a WhatsApp channel may be Twilio's or Meta's). */
  fits: (secret: Readonly<Record<string, unknown>>) => boolean = () => true,
): Readonly<Record<string, unknown>> {
  if (options.stackSecret && options.secretsFile === undefined && options.credentialsRef === undefined)
    return options.stackSecret;
  const file = options.secretsFile ?? DEMO_SECRETS_FILE;
  const secrets = readSecrets(file);
  const forChannel = Object.keys(secrets).filter(
    (ref) => ref.startsWith(`${channel}-credentials/`) && fits(secrets[ref] ?? {}),
  );
  const demoRef =
    to.toLowerCase() === demoCompanyChannel(channel).toLowerCase() ? DEMO.credentials[channel] : undefined;
  const ref =
    options.credentialsRef ??
    (demoRef && demoRef in secrets ? demoRef : forChannel.length === 1 ? forChannel[0] : undefined);
  if (!ref) {
    const known = forChannel.length > 0 ? `: ${forChannel.join(', ')}` : ' (none found)';
    throw new UsageError(`choose the secret with --credentials-ref; ${channel} secrets in ${file}${known}`);
  }
  const secret = secrets[ref];
  if (!secret || typeof secret !== 'object') throw new CliError(`no secret "${ref}" in ${file}`);
  return secret;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function twilioCredentials(
  channel: 'whatsapp' | 'sms',
  to: string,
  options: CredentialOptions,
): TwilioCredentials {
  if (options.authToken && options.accountSid)
    return { authToken: options.authToken, accountSid: options.accountSid };
  const secret = findSecret(channel, to, options, (candidate) => 'auth_token' in candidate);
  const authToken = options.authToken ?? text(secret.auth_token);
  const accountSid = options.accountSid ?? text(secret.account_sid);
  if (!authToken || !accountSid) throw new CliError('the Twilio secret needs "auth_token" and "account_sid"');
  return { authToken, accountSid };
}

export function mailgunSigningKey(to: string, options: CredentialOptions): string {
  if (options.signingKey) return options.signingKey;
  const key = text(findSecret('email', to, options).signing_key);
  if (!key) throw new CliError('the Mailgun secret needs "signing_key"');
  return key;
}

/** The Mailgun API key (`api_key`): what the local storage API wants for `send email --store-notify`. */
export function mailgunApiKey(to: string, options: CredentialOptions): string {
  const key = text(findSecret('email', to, options).api_key);
  if (!key) throw new CliError('the Mailgun secret needs "api_key" for --store-notify');
  return key;
}
