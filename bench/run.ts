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

try {
  progress('1/7 hot path');
  const hot = await measureHotPath();
  figures.push(...hot.figures);
  details.hotPath = hot.details;
  const bounds = await measureInputBounds();
  figures.push(...bounds.figures);
  details.inputBounds = bounds.details;
  const replies = measureReplyExtraction();
  figures.push(...replies.figures);
  details.replyExtraction = replies.details;

  progress('2/7 cold start: bundling with the CDK settings, importing in fresh node processes');
  const cold = await measureColdStart(workDir);
  figures.push(...cold.figures);
  details.coldStart = cold.details;
  const whatsappCold = await measureWhatsAppColdImport(workDir);
  figures.push(...whatsappCold.figures);
  details.whatsappColdImport = whatsappCold.details;

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
  const e2e = await measureEndToEnd({ emulators, gateway, reference, protocol });
  figures.push(...e2e.figures);
  details.endToEnd = e2e.details;
  await Promise.all([gateway.stop(), reference.stop(), protocol.stop()]);

  progress('4/7 AWS calls per webhook, production bundle');
  const driver = await bundleScript('bench/processes/lambda-driver.ts', join(workDir, 'lambda-driver.mjs'));
  const calls = await measureAwsCalls(cold.bundle, driver, emulators.ready, pools.lambda);
  figures.push(...calls.figures);
  details.awsCalls = calls.details;

  progress('5/7 memory: 10,000 sequential webhooks, production bundle');
  const memory = await measureMemory(cold.bundle, driver, emulators.ready, pools.lambda);
  figures.push(...memory.figures);
  details.memory = memory.details;

  progress(
    '6/7 attachments: AWS calls per email with N attachments; peak RSS storing 25 MB; AWS calls per Meta message',
  );
  const attachmentCalls = await measureEmailAttachmentCalls();
  figures.push(...attachmentCalls.figures);
  details.emailAttachmentCalls = attachmentCalls.details;
  const attachmentMemory = await measureAttachmentMemory();
  figures.push(...attachmentMemory.figures);
  details.attachmentMemory = attachmentMemory.details;
  const metaCalls = await measureMetaAwsCalls();
  figures.push(...metaCalls.figures);
  details.metaAwsCalls = metaCalls.details;

  progress('7/7 cost');
  const cost = estimateCost({
    sizes: await emulators.call<ConversationSize[]>('conversationSizes'),
    pools,
    calls: calls.perAccepted,
    logBytes: calls.logBytesPerAccepted,
    messageBytes: hot.contextBytes,
    durationMs: memory.meanHandlerMs,
  });
  figures.push(...cost.figures);
  details.cost = cost.details;
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
