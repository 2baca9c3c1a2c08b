import { defineConfig } from 'vitest/config';
import { olderNodeEnv } from './test/helpers/older-node-env.js';

/**
 * `npm run test:load`: the heavier suites in test/load (excluded from `npm test`). Files run one at a time so that
 * spikes and sustained load do not compete with each other for the machine.
 */
export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: olderNodeEnv(),
    globalSetup: ['test/helpers/node-notice.ts'],
    fileParallelism: false,
  },
});
