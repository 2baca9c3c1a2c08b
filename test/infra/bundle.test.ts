import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, QUEUE_URL_ENV } from '../../src/resources.js';
import { findByProperty, type Synthesised, synthWebhookStack } from './synth.js';

/**
 * Mirrors `npm run synth` (real esbuild bundling, cdk-nag, a full cloud assembly), then loads each bundle in a fresh
 * Node process to prove the ESM output and its createRequire banner actually start. CDK's built-in CloudFormation
 * validation is left to `npm run synth`: it costs 10-25 s of CPU here.
 */
const run = promisify(execFile);
let synthesised: Synthesised;
let assembly: CloudAssembly;

beforeAll(() => {
  synthesised = synthWebhookStack({ nag: true, bundle: true });
  assembly = synthesised.app.synth();
});

function bundleOf(functionName: string): string {
  const { props } = findByProperty(
    synthesised.template,
    'AWS::Lambda::Function',
    'FunctionName',
    functionName,
  );
  const key = String((props.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
  return join(assembly.directory, `asset.${key}`, 'index.mjs');
}

async function loadInNode(file: string, env: Record<string, string>, script: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); ${script}`,
    ],
    { env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', ...env }, timeout: 20_000 },
  );
  return stdout.trim();
}

describe('npm run synth equivalent', () => {
  it('writes a validation report with nothing in it', () => {
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations?: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });

  it('bundles the webhook handler as minified ESM with a source map, and it loads', async () => {
    const file = bundleOf('IncomingWebhookHandler-dev');
    expect(existsSync(`${file}.map`)).toBe(true);
    expect(readFileSync(file, 'utf8').startsWith('import { createRequire }')).toBe(true);
    const env: Record<string, string> = { [ENV.stage]: 'dev' };
    for (const name of Object.values(QUEUE_URL_ENV)) env[name] = 'https://sqs.eu-west-1.amazonaws.com/1/q';
    expect(await loadInNode(file, env, 'console.log(typeof m.handler)')).toBe('function');
  });
});
