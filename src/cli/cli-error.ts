/** A failure the CLI reports as one readable line (no stack trace) and turns into the process exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wrong command line: exit code 2, like most Unix tools, so scripts can tell it from a failed request. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1', '0.0.0.0']);

export function isLocalUrl(url: string): boolean {
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // fetch and the AWS SDK wrap the socket error; the code sits on a cause or in an AggregateError.
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof candidate.code === 'string') return candidate.code;
    current = candidate.cause ?? candidate.errors?.[0];
  }
  return undefined;
}

/**
 * Connection failures become one actionable sentence naming the URL tried and `change`, the flag or variable that
 * points elsewhere; a refused local endpoint usually means no `npm start` (or one on other ports).
 */
export function networkError(error: unknown, target: string, change?: string): CliError {
  if (error instanceof CliError) return error;
  const code = errorCode(error);
  const then = change ? ` ${change}` : '';
  if (code === 'ECONNREFUSED') {
    const running = isLocalUrl(target) ? ' — is `npm start` running, on that port?' : '';
    return new CliError(`cannot reach ${target} (connection refused)${running}${then}`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new CliError(`cannot resolve the host of ${target}${then}`);
  if (code === 'ECONNRESET') return new CliError(`${target} closed the connection`);
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(`request to ${target} failed: ${message}${then}`);
}
