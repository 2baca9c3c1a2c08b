import { CliError, networkError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { type CommandSpec, helpText } from './command-spec.js';
import { preview, printJson, table } from './format.js';
import { sendHttp } from './http-request.js';
import { booleanFlag, choice, parseFlags } from './parse-flags.js';
import { CHANGE_GATEWAY, gatewayFor, gatewayUrlFlag } from './stack-target.js';

export const OUTBOX_SPEC: CommandSpec = {
  usage: 'outbox list [--url BASE]',
  summary:
    "The local stack's outbox: every fallback message the gateway sent through its Twilio and Mailgun stand-ins " +
    'and its SESv2 emulator ' +
    '(GET /_local/api/outbox).',
  flags: {
    url: gatewayUrlFlag('local gateway'),
    unmasked: { type: 'boolean', description: 'show full numbers and addresses' },
  },
  examples: ['outbox list', 'outbox list --json'],
};

interface OutboxItem {
  readonly provider: string;
  readonly at: string;
  readonly to: string;
  readonly from: string;
  readonly body: string;
}

export async function outboxCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals, help, json } = parseFlags(OUTBOX_SPEC, argv);
  if (help) {
    io.out(helpText(OUTBOX_SPEC, io.env));
    return 0;
  }
  choice(positionals[0], ['list'] as const, 'action', OUTBOX_SPEC);
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}"`, helpText(OUTBOX_SPEC));
  const gateway = gatewayFor(values, io.env);
  const url = `${gateway.origin}/_local/api/outbox${booleanFlag(values, 'unmasked') ? '?unmasked=true' : ''}`;
  const response = await sendHttp({
    url,
    method: 'GET',
    headers: [['Accept', 'application/json']],
    connectTimeoutMs: 3000,
    readTimeoutMs: 5000,
  }).catch((error: unknown) => {
    throw networkError(error, url, CHANGE_GATEWAY);
  });
  if (response.status !== 200)
    throw new CliError(`${url} answered ${response.status}: the outbox is only served by the local stack`);
  const { entries } = JSON.parse(response.body) as { entries: OutboxItem[] };
  if (json) printJson(io, { entries });
  else if (entries.length === 0) io.out('the outbox is empty (no fallback message sent yet)');
  else {
    const rows = entries.map((e) => ({
      at: e.at,
      provider: e.provider,
      to: e.to,
      from: e.from,
      body: preview(e.body, 60),
    }));
    io.out(table(rows, ['at', 'provider', 'to', 'from', 'body']));
  }
  return 0;
}
