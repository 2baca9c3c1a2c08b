import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { TSCONFIG } from './paths.js';

/**
 * esbuild settings of every Lambda in this app, in one place: `NodeFunction` hands them to CDK and `npm run bench`
 * bundles with them (bench/lib/lambda-bundle.ts), so the size and cold start it measures are the deployed ones.
 */
export const LAMBDA_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  // Logged stacks resolve through the map (index.mjs.map beside the bundle); the sources need not ship in the zip.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  tsconfig: TSCONFIG,
  // Bundle the AWS SDK too: the version we test with is the version that runs (the runtime's copy lags).
  externalModules: [],
  // CommonJS dependencies (busboy) call require() for Node built-ins, which an ESM bundle lacks.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} satisfies BundlingOptions;

/**
 * Not `--enable-source-maps`: it parses the map at start-up, 25-50 ms of every cold start. The handler maps logged
 * stacks itself, on the first error (src/adapters/observability/source-mapped-stack.ts); `npm run bench` (2d, 2f)
 * measures both.
 */
export const SOURCE_MAPS_AT_START_UP = '--enable-source-maps';
