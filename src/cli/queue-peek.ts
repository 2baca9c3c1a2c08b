import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queueDepth } from '../local/queue-depth.js';
import type { CliEnv } from './cli-env.js';
import { CliError, networkError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { plural, printJson } from './format.js';
import type { FlagValues } from './parse-flags.js';
import { stringFlag } from './parse-flags.js';
import { gatewayFor, getLocalApi } from './stack-target.js';

/** One queue as `queues peek` shows it: its depth from SQS, and the context objects from the stack's record. */
interface PeekedQueue {
  readonly queue: string;
  /** Every message the queue holds (visible, in flight, delayed); null when SQS did not answer. */
  readonly depth: number | null;
  /** Dead-letter queues with messages: why they are there. */
  readonly deadLetterReason?: string;
  /** The newest `min(depth, max)` context objects the gateway queued here, newest first. */
  readonly messages: readonly {
    readonly exchangeId: string;
    readonly at: string;
    readonly context: unknown;
  }[];
}

interface QueueViewItem {
  readonly name: string;
  readonly depth: number | null;
  readonly deadLetterQueue: string;
  readonly deadLetterDepth: number | null;
  readonly deadLetterReason: string | null;
  readonly queued?: PeekedQueue['messages'];
}

/**
 * From the local stack (`GET /_local/api/queues?contexts=N`): depths read with GetQueueAttributes and the context
 * objects its outcome observer recorded. Nothing is received, so a peek never moves a message towards its
 * dead-letter queue (five receives do) and never hides it from a consumer.
 */
async function peekThroughGateway(
  names: readonly string[],
  values: FlagValues,
  env: CliEnv | undefined,
  max: number,
  unmasked: boolean,
): Promise<PeekedQueue[]> {
  const gateway = gatewayFor(values, env);
  const query = `contexts=${max}${unmasked ? '&unmasked=true' : ''}`;
  const { url, response } = await getLocalApi(gateway, `/_local/api/queues?${query}`);
  if (response.status !== 200)
    throw new CliError(`${url} answered ${response.status}: not a local stack (npm start)`);
  const { queues } = JSON.parse(response.body) as { queues: QueueViewItem[] };
  const byName = new Map<string, PeekedQueue>();
  for (const q of queues) {
    const shown = Math.min(q.depth ?? max, max);
    byName.set(q.name, { queue: q.name, depth: q.depth, messages: (q.queued ?? []).slice(0, shown) });
    byName.set(q.deadLetterQueue, {
      queue: q.deadLetterQueue,
      depth: q.deadLetterDepth,
      ...(q.deadLetterReason ? { deadLetterReason: q.deadLetterReason } : {}),
      messages: [],
    });
  }
  return names.map((name) => byName.get(name) ?? { queue: name, depth: null, messages: [] });
}

/** With `--endpoint` (any SQS, no local gateway to ask): depths only, still without a receive. */
async function peekDepths(sqs: SQSClient, names: readonly string[]): Promise<PeekedQueue[]> {
  const out: PeekedQueue[] = [];
  for (const name of names) {
    const result = await sqs.send(new GetQueueUrlCommand({ QueueName: name })).catch((error: unknown) => {
      if ((error as { name?: string }).name?.includes('QueueDoesNotExist'))
        throw new CliError(`no queue named ${name}`);
      throw error;
    });
    out.push({ queue: name, depth: await queueDepth(sqs, result.QueueUrl ?? ''), messages: [] });
  }
  return out;
}

export async function peekQueues(
  io: CliIo,
  peek: {
    readonly names: readonly string[];
    readonly values: FlagValues;
    readonly max: number;
    readonly unmasked: boolean;
    readonly json: boolean;
    /** Every queue (no name given): empty ones are left out of the text output. */
    readonly all: boolean;
    readonly sqs: (endpoint: string) => SQSClient;
  },
): Promise<number> {
  const endpoint = stringFlag(peek.values, 'endpoint');
  let results: PeekedQueue[];
  if (endpoint === undefined) {
    results = await peekThroughGateway(peek.names, peek.values, io.env, peek.max, peek.unmasked);
  } else {
    const sqs = peek.sqs(endpoint);
    try {
      results = await peekDepths(sqs, peek.names);
    } catch (error) {
      throw networkError(error, endpoint, '(change it with --endpoint)');
    } finally {
      sqs.destroy();
    }
  }
  if (peek.json) {
    printJson(io, { queues: results });
    return 0;
  }
  for (const q of results) {
    if (peek.all && !q.depth && q.messages.length === 0) continue;
    const count = q.depth === null ? 'depth unknown' : plural(q.depth, 'message');
    io.out(`${q.queue}: ${count}${q.deadLetterReason ? ` — ${q.deadLetterReason}` : ''}`);
    for (const m of q.messages) {
      io.out(`  queued ${m.at} (request ${m.exchangeId}):`);
      io.out(JSON.stringify(m.context, null, 2).replace(/^/gm, '    '));
    }
  }
  if (peek.all && results.every((r) => !r.depth)) io.out('all queues are empty');
  if (endpoint !== undefined && !peek.json)
    io.out('(--endpoint: depths only; the context objects come from the local stack: use --url instead)');
  return 0;
}
