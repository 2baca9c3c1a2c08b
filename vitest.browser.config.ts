import { defineConfig } from 'vitest/config';
import { olderNodeEnv } from './test/helpers/older-node-env.js';

/**
 * `npm run test:browser`: the suites that drive a real Chromium (excluded from `npm test`, which needs only Node).
 * Without a runnable browser `chromium-required.ts` stops it with one line.
 */

export default defineConfig({
  test: {
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: olderNodeEnv(),
    globalSetup: ['test/helpers/chromium-required.ts', 'test/helpers/node-notice.ts'],
  },
});
