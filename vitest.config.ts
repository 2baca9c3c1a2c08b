import { defineConfig } from 'vitest/config';
import { olderNodeEnv } from './test/helpers/older-node-env.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser suites run under `npm run test:browser` (vitest.browser.config.ts): `npm test` needs only Node.
    exclude: ['test/load/**', 'test/**/*.browser.test.ts', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: olderNodeEnv(),
    globalSetup: ['test/helpers/node-notice.ts'],
  },
});
