import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pickCliEnv } from '../../src/cli/cli-env.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { DEMO } from '../../src/kit/demo-data.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `CliIo` that keeps each line written, for tests that call a command or `runCli` directly. */
export function captureIo(env: Readonly<Record<string, string>> = {}): CliIo & {
  readonly stdout: string[];
  readonly stderr: string[];
} {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    env: pickCliEnv(env),
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    status: () => undefined,
    interactive: false,
  };
}

/**
 * The CLI in-process with the options a command may be given (`cwd`, a `confirm` answering its question as a
 * terminal would); stdout and stderr joined line by line, without the final newline.
 */
export async function runCliCaptured(
  argv: readonly string[],
  options: { readonly env?: CliIo['env']; readonly cwd?: string; readonly confirm?: CliIo['confirm'] } = {},
): Promise<CliResult> {
  const io: CliIo & { readonly stdout: string[]; readonly stderr: string[] } = {
    ...captureIo(),
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

const joined = (lines: readonly string[]) => lines.map((line) => `${line}\n`).join('');

/**
 * The CLI in-process: `runCli` with its output captured as the terminal would show it, and only the environment
 * given (PORT…), so a variable set on the test runner cannot leak in. Same code as `bin/replies-webhooks.mjs` runs,
 * without a node and tsx start per command.
 */
export async function cli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  const io = captureIo(env);
  const code = await runCli(args, io);
  return { code, stdout: joined(io.stdout), stderr: joined(io.stderr) };
}

const run = promisify(execFile);
const BIN = new URL('../../bin/replies-webhooks.mjs', import.meta.url).pathname;

/** The CLI as users run it: a separate node process through the bin file (tsx loader, no build). */
export async function spawnCli(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<CliResult> {
  const {
    PORT: _p,
    LOCAL_DYNAMODB_PORT: _d,
    LOCAL_SQS_PORT: _s,
    AWS_PROFILE: _a,
    ...inherited
  } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      timeout: 60_000,
      env: { ...inherited, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The CLI in-process against one stack: the arguments, then `--url <its gateway URL>`. */
type StackCli = (...argv: string[]) => Promise<CliResult>;

/** `send email --provider ses --from <the demo candidate>`, then `more` (`--subject`, `--body`…). */
export function sendDemoSesEmail(cli: StackCli, ...more: string[]): Promise<CliResult> {
  return cli('send', 'email', '--provider', 'ses', '--from', DEMO.emailSender, ...more);
}

/** The arguments of a Twilio request signed with `authToken` (a wrong one: forged) for the demo account. */
export const demoAccountToken = (authToken: string): string[] => [
  '--auth-token',
  authToken,
  '--account-sid',
  DEMO.accountSid,
];

/**
 * A second tenant through the CLI: WhatsApp number `channel` registered to Acme Staffing, an active conversation of
 * `sender` on it, and `body` sent from `sender` to that number.
 */
export async function messageAcme(
  cli: StackCli,
  { channel, sender, body }: { readonly channel: string; readonly sender: string; readonly body: string },
): Promise<void> {
  await cli(
    'registry',
    'add',
    '--address',
    channel,
    '--company-id',
    'acme',
    '--company-name',
    'Acme Staffing',
  );
  await cli('conversations', 'add', '--sender', sender, '--company-channel', channel);
  await cli('send', 'whatsapp', '--from', sender, '--to', channel, '--body', body);
}
