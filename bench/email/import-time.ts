/**
 * `npx tsx bench/email/import-time.ts`: cold import time of the Lambda bundle with and without issue 14's modules
 * (eager), and with them behind a dynamic import (esbuild keeps one file but defers their evaluation), each in a
 * fresh `node` process, interleaved, median of 9.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WEBHOOK_HANDLER_ENTRY } from '../../infra/paths.js';
import { QUEUE_URL_ENV } from '../../src/resources.js';
import { bundleLambda } from '../lib/lambda-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'ses-import-'));
const handler = `export * from ${JSON.stringify(WEBHOOK_HANDLER_ENTRY)};`;
const ses = `
export * from './src/adapters/ses/create-ses-dependencies.ts';
export * from './src/app/ses-inbound.ts';
export * from './src/domain/ses-message.ts';`;
const variants: Record<string, string> = {
  baseline: handler,
  eager: `${handler}\n${ses}`,
  lazy: `${handler}\nexport const loadSes = () => import('./src/app/ses-entry.ts');`,
};

async function bundle(name: string, source: string): Promise<string> {
  return (await bundleLambda({ source }, join(dir, name))).file;
}

// The handler loads its config at import time: it needs the queue URLs.
const queueEnv = Object.fromEntries(
  Object.values(QUEUE_URL_ENV).map((name) => [name, `https://sqs.us-east-1.amazonaws.com/1/${name}`]),
);
const files: Record<string, string> = {};
for (const [name, contents] of Object.entries(variants)) files[name] = await bundle(name, contents);
const samples: Record<string, number[]> = { baseline: [], eager: [], lazy: [] };
const script = 'const t=performance.now();await import(process.argv[1]);console.log(performance.now()-t)';
for (let run = 0; run < 9; run++) {
  for (const name of Object.keys(files)) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, files[name] ?? ''], {
      env: { ...process.env, ...queueEnv, AWS_REGION: 'us-east-1' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    samples[name]?.push(Number(out.toString().trim()));
  }
}
rmSync(dir, { recursive: true, force: true });
for (const [name, values] of Object.entries(samples)) {
  values.sort((a, b) => a - b);
  console.log(`${name}: median import ${values[4]?.toFixed(0)} ms`);
}
