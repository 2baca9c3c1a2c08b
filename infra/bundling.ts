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
  // Stack traces resolve through the map; the original sources need not ship in the zip.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  tsconfig: TSCONFIG,
  // Bundle the AWS SDK too: the version we test with is the version that runs (the runtime's copy lags).
  externalModules: [],
  // CommonJS dependencies (busboy) call require() for Node built-ins, which an ESM bundle lacks.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} satisfies BundlingOptions;

/** `NODE_OPTIONS` of every Lambda: stack traces through the source map (read at start-up: part of the cold start). */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';
