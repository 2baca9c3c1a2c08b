/**
 * `npm run bench`: every performance figure the gateway promises (docs/performance.md), each next to its target and a baseline measured in the same run.
 * Prints one table (stdout; progress goes to stderr) and writes bench/results.json. Loads go to 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureAttachmentMemory } from './attachment-memory.js';
import { measureAwsCalls } from './aws-calls.js';
import { measureColdStart } from './cold-start.js';
import { estimateCost } from './cost.js';
import { measureEmailAttachmentCalls } from './email-attachment-calls.js';
import { measureEndToEnd, SENDERS_PER_SERVER } from './end-to-end.js';
import { measureHotPath } from './hot-path.js';
import { measureInputBounds } from './input-bounds.js';
import { bundleScript } from './lib/bundle-script.js';
import { type Child, startChild } from './lib/child.js';
import { type Figure, renderTable, verdict } from './lib/report.js';
import { measureMemory } from './memory.js';
import { measureMetaAwsCalls } from './meta-aws-calls.js';
import type { ConversationSize, EmulatorEndpoints } from './processes/emulators.js';
import type { ServerMode } from './processes/server.js';
import { measureReplyExtraction } from './reply-extraction.js';
import { measureWhatsAppColdImport } from './whatsapp-cold-import.js';

const started = performance.now();
const progress = (message: string) =>
  process.stderr.write(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`,
  );

// Sender pools, one conversation each: gateway, reference, protocol-only (bench/end-to-end.ts), then the
// production bundle of figures 4 and 5.
const pools = {
  gateway: { offset: 0, count: SENDERS_PER_SERVER },
  reference: { offset: SENDERS_PER_SERVER, count: SENDERS_PER_SERVER },
  lambda: { offset: 3 * SENDERS_PER_SERVER, count: SENDERS_PER_SERVER },
};

const workDir = mkdtempSync(join(tmpdir(), 'replies-bench-'));
const children: Child<unknown>[] = [];
const figures: Figure[] = [];
const details: Record<string, unknown> = {};

/** Adds one measurement's figures to the report and its details under `name`; returns the measurement. */
function record<T extends { readonly figures: readonly Figure[]; readonly details: unknown }>(
  name: string,
  measured: T,
): T {
  figures.push(...measured.figures);
  details[name] = measured.details;
  return measured;
}

try {
  progress('1/7 hot path');
  const hot = record('hotPath', await measureHotPath());
  record('inputBounds', await measureInputBounds());
  record('replyExtraction', measureReplyExtraction());

  progress('2/7 cold start: bundling with the CDK settings, importing in fresh node processes');
  const cold = record('coldStart', await measureColdStart(workDir));
  record('whatsappColdImport', await measureWhatsAppColdImport(workDir));

  progress('3/7 end to end: emulators, local stack and reference pipeline, each in its own process');
  const emulators = await startChild<EmulatorEndpoints>('bench/processes/emulators.ts', {
    args: { senders: 4 * SENDERS_PER_SERVER },
  });
  children.push(emulators);
  const server = (mode: ServerMode) =>
    startChild<{ url: string }>('bench/processes/server.ts', { args: { mode, endpoints: emulators.ready } });
  const gateway = await server('gateway');
  const reference = await server('reference');
  const protocol = await server('protocol');
  children.push(gateway, reference, protocol);
  record('endToEnd', await measureEndToEnd({ emulators, gateway, reference, protocol }));
  await Promise.all([gateway.stop(), reference.stop(), protocol.stop()]);

  progress('4/7 AWS calls per webhook, production bundle');
  const driver = await bundleScript('bench/processes/lambda-driver.ts', join(workDir, 'lambda-driver.mjs'));
  const calls = record('awsCalls', await measureAwsCalls(cold.bundle, driver, emulators.ready, pools.lambda));

  progress('5/7 memory: 10,000 sequential webhooks, production bundle');
  const memory = record('memory', await measureMemory(cold.bundle, driver, emulators.ready, pools.lambda));

  progress(
    '6/7 attachments: AWS calls per email with N attachments; peak RSS storing 25 MB; AWS calls per Meta message',
  );
  record('emailAttachmentCalls', await measureEmailAttachmentCalls());
  record('attachmentMemory', await measureAttachmentMemory());
  record('metaAwsCalls', await measureMetaAwsCalls());

  progress('7/7 cost');
  record(
    'cost',
    estimateCost({
      sizes: await emulators.call<ConversationSize[]>('conversationSizes'),
      pools,
      calls: calls.perAccepted,
      logBytes: calls.logBytesPerAccepted,
      messageBytes: hot.contextBytes,
      durationMs: memory.meanHandlerMs,
    }),
  );
} finally {
  await Promise.all(children.map((child) => child.stop()));
  rmSync(workDir, { recursive: true, force: true });
}

const table = renderTable(figures);
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const results = {
  takenAt: new Date().toISOString(),
  commit,
  node: process.version,
  cpus: cpus().length,
  seconds: Math.round((performance.now() - started) / 1000),
  figures: figures.map((figure) => ({ ...figure, result: verdict(figure) || 'info' })),
  details,
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${table}\n`);
progress(`done; bench/results.json written (${results.seconds} s)`);
