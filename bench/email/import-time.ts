/**
 * `npx tsx bench/email/import-time.ts`: cold import time and size of the Lambda bundle (SES wired in),
 * each import in a fresh `node` process, median of 9. Measured before the wiring, 2026-11-29: a dynamic `import()`
 * of the SES modules gained nothing in the one-file bundle (184 ms vs 179 ms eager): the cost is parsing the bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WEBHOOK_HANDLER_ENTRY } from '../../infra/paths.js';
import { QUEUE_URL_ENV } from '../../src/resources.js';
import { bundleLambda } from '../lib/lambda-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'ses-import-'));
const handler = `export * from ${JSON.stringify(WEBHOOK_HANDLER_ENTRY)};`;
const variants: Record<string, string> = { handler };

async function bundle(name: string, source: string): Promise<string> {
  return (await bundleLambda({ source }, join(dir, name))).file;
}

// The handler loads its config at import time: it needs the queue URLs.
const queueEnv = Object.fromEntries(
  Object.values(QUEUE_URL_ENV).map((name) => [name, `https://sqs.us-east-1.amazonaws.com/1/${name}`]),
);
const files: Record<string, string> = {};
for (const [name, contents] of Object.entries(variants)) files[name] = await bundle(name, contents);
const samples: Record<string, number[]> = { handler: [] };
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
const sizes = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, statSync(file).size]));
rmSync(dir, { recursive: true, force: true });
for (const [name, values] of Object.entries(samples)) {
  values.sort((a, b) => a - b);
  console.log(
    `${name}: ${((sizes[name] ?? 0) / 1000).toFixed(0)} KB, median import ${values[4]?.toFixed(0)} ms`,
  );
}
