import { createServer } from 'node:net';
import { ATTACHMENTS_BUCKET, ENV, LOCAL_PORTS, SES } from '../resources.js';

/** The five ports `npm start` binds, in `LOCAL_BASE_PORT` order (base, base+1, …). */
const LOCAL_PORT_SERVICES = [
  { key: 'gateway', label: 'gateway', variable: ENV.port, fallback: LOCAL_PORTS.gateway },
  { key: 'dynamodb', label: 'DynamoDB', variable: ENV.localDynamoDbPort, fallback: LOCAL_PORTS.dynamodb },
  { key: 'sqs', label: 'SQS', variable: ENV.localSqsPort, fallback: LOCAL_PORTS.sqs },
  { key: 's3', label: 'S3', variable: ENV.localS3Port, fallback: ATTACHMENTS_BUCKET.defaultLocalPort },
  { key: 'ses', label: 'SESv2', variable: ENV.localSesPort, fallback: SES.defaultLocalSesPort },
] as const;

export type LocalPortKey = (typeof LOCAL_PORT_SERVICES)[number]['key'];

/** One port the stack is about to bind, and the setting that chose it (for the message when it is taken). */
export interface LocalPort {
  readonly key: LocalPortKey;
  readonly label: string;
  readonly port: number;
  /** `LOCAL_SQS_PORT`, or `LOCAL_BASE_PORT+2` when the base port chose it, or the default's own variable. */
  readonly setting: string;
}

/**
 * Each service's port: its own variable, else `LOCAL_BASE_PORT` + its offset, else its default. One variable moves
 * the whole stack (a second stack next to the first: `LOCAL_BASE_PORT=4400`); a single one still wins.
 */
export function resolveLocalPorts(
  own: Readonly<Partial<Record<LocalPortKey, number | undefined>>>,
  base: number | undefined,
): Record<LocalPortKey, LocalPort> {
  const out = {} as Record<LocalPortKey, LocalPort>;
  LOCAL_PORT_SERVICES.forEach((service, offset) => {
    const explicit = own[service.key];
    // Base 0: every port a free one (as for a test), not ports 0 … 4.
    const port = explicit ?? (base === undefined ? service.fallback : base === 0 ? 0 : base + offset);
    const setting =
      explicit !== undefined || base === undefined
        ? service.variable
        : `${ENV.localBasePort}${offset ? `+${offset}` : ''}`;
    out[service.key] = { key: service.key, label: service.label, port, setting };
  });
  return out;
}

/** The fixed ports a stack with these options binds itself (none for a service given an external endpoint). */
export function localPortsOf(options: {
  readonly port: number;
  readonly dynamodbPort: number;
  readonly sqsPort: number;
  readonly s3Port?: number;
  readonly sesPort?: number;
  readonly dynamodbEndpoint?: string;
  readonly sqsEndpoint?: string;
  readonly s3Endpoint?: string;
  readonly sesv2Endpoint?: string;
  readonly portSettings?: Readonly<Partial<Record<LocalPortKey, string>>>;
}): LocalPort[] {
  const chosen: Record<LocalPortKey, number | undefined> = {
    gateway: options.port,
    dynamodb: options.dynamodbEndpoint ? undefined : options.dynamodbPort,
    sqs: options.sqsEndpoint ? undefined : options.sqsPort,
    s3: options.s3Endpoint ? undefined : options.s3Port,
    ses: options.sesv2Endpoint ? undefined : options.sesPort,
  };
  return LOCAL_PORT_SERVICES.flatMap((service) => {
    const port = chosen[service.key];
    if (port === undefined) return [];
    const setting = options.portSettings?.[service.key] ?? service.variable;
    return [{ key: service.key, label: service.label, port, setting }];
  });
}

export class PortInUseError extends Error {
  constructor(readonly ports: readonly LocalPort[]) {
    super(portInUseMessage(ports));
    this.name = 'PortInUseError';
  }
}

/** One line: which ports, which settings chose them, and the one variable that moves them all. */
function portInUseMessage(ports: readonly LocalPort[]): string {
  const list = ports.map((p) => `${p.port} (${p.label}, ${p.setting})`).join(', ');
  const which = ports.length === 1 ? `port ${list} is` : `ports ${list} are`;
  return (
    `${which} already in use: is another local stack running? Stop it, or move every port with ` +
    `${ENV.localBasePort}=<port> (e.g. ${ENV.localBasePort}=4400 npm start).`
  );
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * Throws a PortInUseError naming every fixed port (0 = any free port, never probed) already taken on `host`.
 * Checked before anything starts: some emulators report a taken port as an unhandled 'error' event (a crash with a
 * stack trace) rather than a rejected promise.
 */
export async function assertPortsFree(ports: readonly LocalPort[], host: string): Promise<void> {
  const fixed = ports.filter((p) => p.port > 0);
  const free = await Promise.all(fixed.map((p) => isFree(p.port, host)));
  const busy = fixed.filter((_, i) => !free[i]);
  if (busy.length > 0) throw new PortInUseError(busy);
}

/** An EADDRINUSE raised later (a port taken between the check and the bind) in the same one-line form. */
export function asPortInUse(error: unknown, ports: readonly LocalPort[]): PortInUseError | undefined {
  const e = error as { code?: unknown; port?: unknown };
  if (e?.code !== 'EADDRINUSE') return undefined;
  const port = ports.find((p) => p.port === Number(e.port));
  if (!port) return undefined;
  return new PortInUseError([port]);
}
