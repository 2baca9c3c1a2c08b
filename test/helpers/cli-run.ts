import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI in-process (the same `runCli` the bin calls), output captured; `env` as the CLI would pick it. */
export async function runCliCaptured(
  argv: readonly string[],
  options: { readonly env?: CliIo['env']; readonly cwd?: string; readonly confirm?: CliIo['confirm'] } = {},
): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    status: () => undefined,
    interactive: false,
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
  const code = await runCli(argv, io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
