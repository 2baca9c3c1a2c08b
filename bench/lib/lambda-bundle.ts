import { statSync } from 'node:fs';
import { join } from 'node:path';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type BuildOptions, build } from 'esbuild';
import { LAMBDA_BUNDLING } from '../../infra/bundling.js';
import { REPO_ROOT } from '../../infra/paths.js';

export interface LambdaBundle {
  readonly file: string;
  readonly bytes: number;
  readonly mapBytes: number;
}

/**
 * esbuild with the options CDK's NodejsFunction derives from `LAMBDA_BUNDLING` (aws-lambda-nodejs Bundling:
 * `--bundle --platform=node --target --format --minify --sourcemap --sources-content --external --tsconfig
 * --banner:js --main-fields`, output `index.mjs` for ESM), so the file measured is the file deployed.
 */
function cdkEquivalentOptions(outdir: string): BuildOptions {
  const b = LAMBDA_BUNDLING;
  const esm = b.format === OutputFormat.ESM;
  return {
    bundle: true,
    platform: 'node',
    target: b.target,
    format: esm ? 'esm' : 'cjs',
    outfile: join(outdir, esm ? 'index.mjs' : 'index.js'),
    minify: b.minify,
    sourcemap: b.sourceMap,
    sourcesContent: b.sourcesContent,
    external: b.externalModules,
    tsconfig: b.tsconfig,
    banner: { js: b.banner },
    mainFields: b.mainFields,
    logLevel: 'error',
  };
}

export type BundleInput = { readonly entry: string } | { readonly source: string };

/** Bundles an entry file (what CDK does), or module text resolved from the repository root, into `outdir`. */
export async function bundleLambda(input: BundleInput, outdir: string): Promise<LambdaBundle> {
  const options = cdkEquivalentOptions(outdir);
  await build({
    ...options,
    ...('entry' in input
      ? { entryPoints: [input.entry] }
      : { stdin: { contents: input.source, resolveDir: REPO_ROOT, sourcefile: 'entry.ts', loader: 'ts' } }),
  });
  const file = options.outfile as string;
  return { file, bytes: statSync(file).size, mapBytes: statSync(`${file}.map`).size };
}
