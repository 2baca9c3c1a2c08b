import { type HttpResponse, sendHttp } from '../kit/http-request.js';
import type { StackConfigView } from '../local/inspector/stack-config-view.js';
import { ENV } from '../resources.js';
import { type CliEnv, type CliEnvName, DEFAULT_GATEWAY, defaultGateway, envPort } from './cli-env.js';
import { CliError, networkError, UsageError } from './cli-error.js';
import type { FlagSpec } from './command-spec.js';
import { type FlagValues, stringFlag } from './parse-flags.js';

/** How to point the CLI at a stack elsewhere; appended to every connection error. */
export const CHANGE_GATEWAY =
  '(point the CLI at the stack with --url <gateway URL>, PORT=<port> or LOCAL_BASE_PORT=<port>)';

export const gatewayUrlFlag = (what: string): FlagSpec => ({
  type: 'string',
  placeholder: 'URL',
  description: `${what} (default ${DEFAULT_GATEWAY}, from PORT)`,
});

export interface Gateway {
  /** Base URL without trailing slashes, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly origin: string;
}

/** `--url`, else PORT, else the default port; trailing slashes and a channel path are tolerated. */
export function gatewayFor(values: FlagValues, env: CliEnv | undefined): Gateway {
  const raw = stringFlag(values, 'url') ?? defaultGateway(env);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new UsageError(`--url: not a URL: ${raw}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UsageError(`--url: not an http(s) URL: ${raw}`);
  return { url: raw.replace(/[#?].*$/s, '').replace(/\/+$/, ''), origin: parsed.origin };
}

export type LocalService = 'dynamodb' | 'sqs';

const SERVICE_PORT: Readonly<Record<LocalService, CliEnvName>> = {
  dynamodb: ENV.localDynamoDbPort,
  sqs: ENV.localSqsPort,
};

export interface ServiceEndpoint {
  readonly endpoint: string;
  /** What to change when it cannot be reached. */
  readonly change: string;
}

/** GETs a local stack route (`/_local/api/…`); an unreachable gateway says how to point the CLI elsewhere. */
export async function getLocalApi(
  gateway: Gateway,
  pathAndQuery: string,
): Promise<{ readonly url: string; readonly response: HttpResponse }> {
  const url = `${gateway.origin}${pathAndQuery}`;
  const response = await sendHttp({
    url,
    method: 'GET',
    headers: [['Accept', 'application/json']],
    connectTimeoutMs: 3000,
    readTimeoutMs: 5000,
  }).catch((error: unknown) => {
    throw networkError(error, url, CHANGE_GATEWAY);
  });
  return { url, response };
}

/** Asks a local gateway where its emulators listen (`GET /_local/api/config`). */
export async function discoverStack(gateway: Gateway): Promise<StackConfigView> {
  const { url, response } = await getLocalApi(gateway, '/_local/api/config');
  if (response.status !== 200)
    throw new CliError(
      `${url} answered ${response.status}: not a local stack (npm start); pass --endpoint <URL> for any other endpoint`,
    );
  try {
    return JSON.parse(response.body) as StackConfigView;
  } catch {
    throw new CliError(`${url} did not answer JSON: not a local stack (npm start)`);
  }
}

/**
 * Where a service is: `--endpoint` (override), else LOCAL_<SERVICE>_PORT when no --url is given, else asked of the
 * gateway (`--url`, PORT or the default), so one gateway URL is all a user has to know.
 */
export async function serviceEndpoint(
  service: LocalService,
  values: FlagValues,
  env: CliEnv | undefined,
): Promise<ServiceEndpoint> {
  const endpoint = stringFlag(values, 'endpoint');
  if (endpoint !== undefined) return { endpoint, change: '(change it with --endpoint)' };
  const variable = SERVICE_PORT[service];
  const port = stringFlag(values, 'url') === undefined ? envPort(env, variable) : undefined;
  if (port !== undefined)
    return { endpoint: `http://127.0.0.1:${port}`, change: `(change it with --endpoint or ${variable})` };
  const gateway = gatewayFor(values, env);
  const found = (await discoverStack(gateway)).endpoints?.[service];
  if (!found) throw new CliError(`${gateway.url} reports no ${service} endpoint; pass --endpoint <URL>`);
  return { endpoint: found, change: `(the endpoint ${gateway.url} reported; --endpoint overrides it)` };
}

export const endpointOverrideFlag = (service: LocalService): FlagSpec => ({
  type: 'string',
  placeholder: 'URL',
  description: `${service === 'sqs' ? 'SQS' : 'DynamoDB'} endpoint, instead of the one the stack reports (or ${SERVICE_PORT[service]})`,
});
