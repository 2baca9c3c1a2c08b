import { fileURLToPath } from 'node:url';

/** Absolute paths the CDK app needs, independent of the directory `cdk` or vitest was started from. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));
export const TSCONFIG = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
export const WEBHOOK_HANDLER_ENTRY = fileURLToPath(new URL('../src/http/lambda-handler.ts', import.meta.url));
export const HEARTBEAT_HANDLER_ENTRY = fileURLToPath(
  new URL('../src/heartbeat/heartbeat-handler.ts', import.meta.url),
);
