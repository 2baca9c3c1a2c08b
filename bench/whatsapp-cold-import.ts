import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { REPO_ROOT, WEBHOOK_HANDLER_ENTRY } from '../infra/paths.js';
import { bundleLambda, type LambdaBundle } from './lib/lambda-bundle.js';
import { lambdaEnvironment } from './lib/lambda-env.js';
import { atMost, type Figure } from './lib/report.js';
import { median } from './lib/stats.js';

const run = promisify(execFile);
const RUNS = 12;
const REGISTRY_MODULE = join(REPO_ROOT, 'src/app/providers/provider-registry.ts');
const RESOURCES_MODULE = join(REPO_ROOT, 'src/resources.ts');

/**
 * The deployed handler, plus a way to load what the first WhatsApp webhook loads: the registry's `/whatsapp`
 * front end (its dynamic import). Re-exporting from the same modules adds no module to the bundle.
 */
const HANDLER_WITH_WHATSAPP = `export { handler } from ${JSON.stringify(WEBHOOK_HANDLER_ENTRY)};
import { frontEndFor } from ${JSON.stringify(REGISTRY_MODULE)};
import { ROUTES } from ${JSON.stringify(RESOURCES_MODULE)};
export const firstWhatsApp = () =>
  frontEndFor({ route: ROUTES.find((r) => r.path === '/whatsapp'), method: 'POST', headers: {} });`;

/**
 * The floor under any WhatsApp handler on the SDK v3: the clients a WhatsApp webhook calls, built as
 * createAwsClients and createS3Client build them (DynamoDB, SQS, Secrets Manager; S3 + lib-storage for media),
 * plus the commands the adapters send. No SESv2, no email parser: WhatsApp never uses them.
 */
const WHATSAPP_FLOOR = `import { createAwsClients } from ${JSON.stringify(join(REPO_ROOT, 'src/adapters/aws/aws-clients.ts'))};
import { createS3Client } from ${JSON.stringify(join(REPO_ROOT, 'src/adapters/aws/s3-client.ts'))};
export { Upload } from '@aws-sdk/lib-storage';
export const s3 = createS3Client({ awsCallTimeoutMs: 2000, endpoints: {} });
export { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
export { SendMessageCommand } from '@aws-sdk/client-sqs';
export { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
export const clients = createAwsClients({ awsCallTimeoutMs: 2000, endpoints: {} });
export const handler = async () => clients;
export const firstWhatsApp = async () => handler;`;

/** Milliseconds from `import()` to a loaded WhatsApp front end, in a fresh Node process. */
async function whatsAppReadyMs(bundle: LambdaBundle): Promise<number> {
  const script =
    'const started = performance.now();' +
    `const m = await import(${JSON.stringify(pathToFileURL(bundle.file).href)});` +
    "if (typeof m.handler !== 'function') throw new Error('no handler');" +
    'await m.firstWhatsApp();' +
    'process.stdout.write(String(performance.now() - started));';
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: lambdaEnvironment(),
    timeout: 30_000,
  });
  return Number(stdout);
}

/** 2h/2i: what a WhatsApp cold start pays, against the floor of the clients WhatsApp uses. */
export async function measureWhatsAppColdImport(
  workDir: string,
): Promise<{ figures: Figure[]; details: object }> {
  const handler = await bundleLambda({ source: HANDLER_WITH_WHATSAPP }, join(workDir, 'whatsapp-handler'));
  const floor = await bundleLambda({ source: WHATSAPP_FLOOR }, join(workDir, 'whatsapp-floor'));
  const times = { handler: [] as number[], floor: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    times.handler.push(await whatsAppReadyMs(handler));
    times.floor.push(await whatsAppReadyMs(floor));
  }
  const ratios = times.handler.map((ms, i) => ms / (times.floor[i] ?? Number.NaN));
  const kb = (bytes: number) => (bytes / 1024).toFixed(0);
  return {
    figures: [
      {
        id: '2h',
        label: 'WhatsApp cold import (handler + its front end)',
        value: median(times.handler),
        unit: 'ms',
        baseline: `${kb(handler.bytes)} KB bundle`,
      },
      {
        id: '2i',
        label: 'WhatsApp cold import ÷ floor of the clients WhatsApp uses',
        value: median(ratios),
        unit: '×',
        target: atMost(1.1),
        baseline: `floor ${median(times.floor).toFixed(0)} ms, ${kb(floor.bytes)} KB: DynamoDB, SQS, Secrets Manager, S3 + lib-storage`,
      },
    ],
    details: { times, handlerBytes: handler.bytes, floorBytes: floor.bytes },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const result = await measureWhatsAppColdImport(mkdtempSync(join(tmpdir(), 'wa-cold-')));
  console.log(JSON.stringify(result, null, 2));
}
