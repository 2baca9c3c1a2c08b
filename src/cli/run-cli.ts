import { readFileSync } from 'node:fs';
import { type CliEnv, defaultGateway } from './cli-env.js';
import { CliError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { BIN } from './command-spec.js';
import { didYouMean } from './suggest.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const SUMMARIES = {
  send: 'sign and send one webhook (Twilio or Mailgun)',
  simulate: "many messages with Twilio's timeouts, retries and fallback",
  queues: 'peek at or drain the SQS queues',
  conversations: 'add, list or close conversations',
  registry: 'register, list or remove company channels',
  outbox: 'fallback messages sent by the local stack',
  verify: 'perform a provider’s webhook verification (Meta’s hub.challenge GET)',
  replay: 'replay SES notifications SNS parked in the dead-letter queue',
} as const;

/** Loaded on demand: `send` should not pay for the DynamoDB and SQS clients it never uses. */
const LOADERS: Readonly<Record<keyof typeof SUMMARIES, () => Promise<Command>>> = {
  send: async () => (await import('./send-command.js')).sendCommand,
  simulate: async () => (await import('./simulate-command.js')).simulateCommand,
  queues: async () => (await import('./queues-command.js')).queuesCommand,
  conversations: async () => (await import('./conversations-command.js')).conversationsCommand,
  registry: async () => (await import('./registry-command.js')).registryCommand,
  outbox: async () => (await import('./outbox-command.js')).outboxCommand,
  verify: async () => (await import('./verify-command.js')).verifyCommand,
  replay: async () => (await import('./replay-command.js')).replayCommand,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return `${BIN} ${pkg.version}`;
}

function gatewayOrDefault(env: CliEnv | undefined): string {
  try {
    return defaultGateway(env);
  } catch {
    return defaultGateway(undefined);
  }
}

function overview(env?: CliEnv): string {
  const width = Math.max(...Object.keys(SUMMARIES).map((name) => name.length));
  return [
    `Usage: ${BIN} <command> [options]`,
    '',
    'Fire correctly signed Twilio and Mailgun webhooks at the local stack (npm start) or a deployed API, and look',
    'at what happened: queues, conversations, the channel registry, the fallback outbox.',
    '',
    'Commands:',
    ...Object.entries(SUMMARIES).map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    `Run \`${BIN} <command> --help\` for its options. Inspector: ${gatewayOrDefault(env)}/_local/ (npm start).`,
    'Every command finds the local stack from one gateway URL: --url <URL>, else PORT, else LOCAL_BASE_PORT, else port 3000.',
    `Exit codes: 0 success, 1 failure, 2 wrong command line. With --json, errors are {"error", "exit_code"}.`,
  ].join('\n');
}

/**
 * Runs one command line and returns the exit code: 0 success, 1 failure (a request refused, nothing reachable),
 * 2 wrong usage. Never throws and never exits the process, so tests can call it in-process.
 *
 * @example
 * process.exitCode = await runCli(['send', 'whatsapp', '--from', '+447700900123', '--body', 'hi'], processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview(io.env));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(version());
    return 0;
  }
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name as keyof typeof LOADERS] : undefined;
  // `--json` anywhere (before `--`): scripts get every error as one JSON object on stdout, not text on stderr.
  const json = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined).includes('--json');
  const fail = (message: string, exitCode: number, hint?: string): number => {
    if (json) io.out(JSON.stringify({ error: message, exit_code: exitCode }));
    else {
      io.err(`${BIN}: ${message}`);
      if (hint) io.err(hint);
    }
    return exitCode;
  };
  try {
    if (!load)
      throw new UsageError(
        `unknown command "${name}"${didYouMean(name, [...Object.keys(LOADERS), '--help', '--version'])}`,
        overview(),
      );
    return await (await load())(rest, io);
  } catch (error) {
    if (error instanceof UsageError)
      return fail(error.message, error.exitCode, `Run \`${BIN} ${load ? `${name} ` : ''}--help\` for usage.`);
    if (error instanceof CliError) return fail(error.message, error.exitCode);
    if (json) return fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`, 1);
    io.err(
      `${BIN}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}
