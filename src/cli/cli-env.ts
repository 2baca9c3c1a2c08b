import { ENV, LOCAL_PORTS } from '../resources.js';
import { UsageError } from './cli-error.js';

/** The environment variables the CLI honours, picked once by the composition root (src/cli/main.ts). */
export type CliEnv = Readonly<Partial<Record<CliEnvName, string>>>;

export type CliEnvName =
  | typeof ENV.port
  | typeof ENV.localBasePort
  | typeof ENV.localDynamoDbPort
  | typeof ENV.localSqsPort;

const NAMES: readonly CliEnvName[] = [ENV.port, ENV.localBasePort, ENV.localDynamoDbPort, ENV.localSqsPort];

export function pickCliEnv(env: Readonly<Record<string, string | undefined>>): CliEnv {
  return Object.fromEntries(NAMES.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

export const DEFAULT_GATEWAY = `http://127.0.0.1:${LOCAL_PORTS.gateway}`;

/** A port from the environment, checked: a typo in PORT should say so, not quietly fall back to 3000. */
export function envPort(env: CliEnv | undefined, name: CliEnvName): number | undefined {
  const raw = env?.[name];
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`${name} must be a port number from 1 to 65535 (got "${raw}")`);
  return port;
}

/** The local gateway the CLI talks to when no --url is given: PORT, else LOCAL_BASE_PORT, else the default port. */
export function defaultGateway(env: CliEnv | undefined): string {
  const port = envPort(env, ENV.port) ?? envPort(env, ENV.localBasePort);
  return port === undefined ? DEFAULT_GATEWAY : `http://127.0.0.1:${port}`;
}
