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
  /**
   * The directory the user ran the command from: relative file arguments (`--attach cv.pdf`) resolve against it.
   * `npm run` changes into the package root and keeps the caller's directory in INIT_CWD. Default: process.cwd().
   */
  readonly cwd?: string;
  /** Asks a yes/no question (a deployed stage's delete); absent or not a terminal: the answer is no. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** Reads one line from the terminal; anything but y/yes is a no. */
async function askTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export function processIo(env: Readonly<Record<string, string | undefined>>): CliIo {
  return {
    env: pickCliEnv(env),
    cwd: env.INIT_CWD ?? process.cwd(),
    ...(process.stdin.isTTY ? { confirm: askTerminal } : {}),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    status: (line) => process.stderr.write(`\r${line}\u001b[K`),
    interactive: process.stderr.isTTY === true,
  };
}
