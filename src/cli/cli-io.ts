import { type CliEnv, pickCliEnv } from './cli-env.js';

/** Where a command writes and what it may read of its environment; injected so tests run commands in-process. */
export interface CliIo {
  /** Writes one line (a newline is added) to stdout: results. */
  out(line: string): void;
  /** Writes one line to stderr: progress, warnings, errors. */
  err(line: string): void;
  /** Rewrites the current stderr line in place (progress bar); only called when `interactive`. */
  status(line: string): void;
  /** stderr is a terminal: a progress bar helps there and would garble a log file. */
  readonly interactive: boolean;
  /** PORT and LOCAL_*_PORT, when set: where the local stack listens. Absent in tests: the defaults. */
  readonly env?: CliEnv;
}

export function processIo(env: Readonly<Record<string, string | undefined>>): CliIo {
  return {
    env: pickCliEnv(env),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    status: (line) => process.stderr.write(`\r${line}\u001b[K`),
    interactive: process.stderr.isTTY === true,
  };
}
