import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceMappedFrames } from '../../src/adapters/observability/source-mapped-stack.js';

const SOURCE = `export function explode(): never {
  // line 2
  throw new Error('boom: +447700900123');
}
`;

let dir: string;
let stack: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapped-stack-'));
  const outfile = join(dir, 'index.mjs');
  // Minified with a separate map, as the Lambda bundle is (infra/bundling.ts).
  await build({
    stdin: { contents: SOURCE, sourcefile: 'explode.ts', loader: 'ts' },
    outfile,
    format: 'esm',
    platform: 'node',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'error',
  });
  // A fresh Node without source maps, as on Lambda (vitest maps stacks in its own process).
  const script = `try { (await import(${JSON.stringify(pathToFileURL(outfile).href)})).explode(); } catch (e) { process.stdout.write(e.stack); }`;
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  stack = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sourceMappedFrames', () => {
  it('points bundle frames at the original source line', () => {
    expect(stack).toContain('index.mjs:1:');
    const frames = sourceMappedFrames(stack).split('\n');
    expect(frames[0]).toMatch(/^at .*explode\.ts:3:\d+\)?$/);
  });

  it('keeps frames only: the message (which can quote input) is not repeated', () => {
    const frames = sourceMappedFrames(stack);
    expect(frames).not.toContain('boom');
    expect(frames).not.toContain('+447700900123');
    for (const line of frames.split('\n')) expect(line.startsWith('at ')).toBe(true);
  });

  it('leaves frames without a map beside them unchanged', () => {
    const frame = 'at Module._compile (node:internal/modules/cjs/loader:1554:14)';
    const other = `at x (${join(dir, 'missing.mjs')}:1:10)`;
    expect(sourceMappedFrames(`Error: x\n    ${frame}\n    ${other}`)).toBe(`${frame}\n${other}`);
  });
});
