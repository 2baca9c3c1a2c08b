import { CliError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { BIN } from './command-spec.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/** Loaded on demand: `send` should not pay for the DynamoDB and SQS clients it never uses. */
const COMMANDS: Readonly<Record<string, { readonly summary: string; load(): Promise<Command> }>> = {
  send: {
    summary: 'sign and send one webhook (Twilio or Mailgun)',
    load: async () => (await import('./send-command.js')).sendCommand,
  },
  simulate: {
    summary: "many messages with Twilio's timeouts, retries and fallback",
    load: async () => (await import('./simulate-command.js')).simulateCommand,
  },
  queues: {
    summary: 'peek at or drain the SQS queues',
    load: async () => (await import('./queues-command.js')).queuesCommand,
  },
  conversations: {
    summary: 'seed or list conversations',
    load: async () => (await import('./conversations-command.js')).conversationsCommand,
  },
  registry: {
    summary: 'register or list company channels',
    load: async () => (await import('./registry-command.js')).registryCommand,
  },
  outbox: {
    summary: 'fallback messages sent by the local stack',
    load: async () => (await import('./outbox-command.js')).outboxCommand,
  },
};

export function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    `Usage: ${BIN} <command> [options]`,
    '',
    'Fire correctly signed Twilio and Mailgun webhooks at the local stack (npm start) or a deployed API, and look',
    'at what happened: queues, conversations, the channel registry, the fallback outbox.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    `Run \`${BIN} <command> --help\` for its options. Inspector: http://127.0.0.1:3000/_local/ (npm start).`,
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
    io.out(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`, overview());
    return await (await command.load())(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${BIN}: ${error.message}`);
      io.err(`Run \`${BIN} ${command ? `${name} ` : ''}--help\` for usage.`);
      return error.exitCode;
    }
    if (error instanceof CliError) {
      io.err(`${BIN}: ${error.message}`);
      return error.exitCode;
    }
    io.err(
      `${BIN}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}
