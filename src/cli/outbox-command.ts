import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { CommandSpec } from './command-spec.js';
import { preview, printJson, table } from './format.js';
import { booleanFlag, parseAction } from './parse-flags.js';
import { gatewayFor, gatewayUrlFlag, getLocalApi } from './stack-target.js';

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
  const parsed = parseAction(OUTBOX_SPEC, argv, io, ['list'] as const);
  if (!parsed) return 0;
  const { values, json } = parsed;
  const { url, response } = await getLocalApi(
    gatewayFor(values, io.env),
    `/_local/api/outbox${booleanFlag(values, 'unmasked') ? '?unmasked=true' : ''}`,
  );
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
