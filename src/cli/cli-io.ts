/** Where a command writes; injected so tests can run commands in-process and read what they printed. */
export interface CliIo {
  /** Writes one line (a newline is added) to stdout: results. */
  out(line: string): void;
  /** Writes one line to stderr: progress, warnings, errors. */
  err(line: string): void;
  /** Rewrites the current stderr line in place (progress bar); only called when `interactive`. */
  status(line: string): void;
  /** stderr is a terminal: a progress bar helps there and would garble a log file. */
  readonly interactive: boolean;
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    status: (line) => process.stderr.write(`\r${line}\u001b[K`),
    interactive: process.stderr.isTTY === true,
  };
}
