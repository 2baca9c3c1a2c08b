import { defineConfig } from 'vitest/config';
import { CHROMIUM_INSTALL_HINT, chromiumIsRunnable } from './test/helpers/chromium.js';
import { olderNodeEnv } from './test/helpers/older-node-env.js';

/**
 * `npm run test:browser`: the suites that drive a real Chromium (excluded from `npm test`, which needs only Node).
 * Without a runnable browser it stops here with one line rather than a launch stack trace per suite.
 */
if (!chromiumIsRunnable()) {
  console.error(CHROMIUM_INSTALL_HINT);
  process.exit(1);
}

export default defineConfig({
  test: {
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: olderNodeEnv(),
    globalSetup: ['test/helpers/node-notice.ts'],
  },
});
