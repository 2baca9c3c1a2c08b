import { build } from 'esbuild';
import { LAMBDA_BUNDLING } from '../../infra/bundling.js';

/**
 * Bundles a bench process into one plain-JS file, so it runs under bare `node` rather than tsx: tsx's loader runs
 * on a worker thread with its own heap, whose housekeeping moved RSS by tens of MB (measured) and would blur the
 * memory figure of the code under test.
 */
export async function bundleScript(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Same reason as the Lambda's: CommonJS dependencies call require() for Node built-ins.
    banner: { js: LAMBDA_BUNDLING.banner },
    logLevel: 'error',
  });
  return outfile;
}
