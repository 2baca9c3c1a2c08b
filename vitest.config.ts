import { defineConfig } from 'vitest/config';
import { olderNodeEnv } from './test/helpers/older-node-env.js';

/**
 * Two projects, so each kind of test pays only for what it needs:
 * - `unit`: pure and in-memory tests share one thread and one module graph (`isolate: false`): re-importing the
 *   domain, the app and zod for each of ~50 files cost more than the tests themselves (measured: 55 s → 14 s on the
 *   2-core machine). They hold no state between files: every test builds its own fakes.
 * - `stack`: tests over emulators, child processes and CDK synth run in forks (CDK bundling needs a real
 *   process stdio), reusing each fork's module graph too; each file starts its own emulators on free ports.
 * Two workers at once: most of a stack test is waiting on sockets and child processes, so a second file overlaps
 * that wait even on two cores.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: olderNodeEnv(),
    globalSetup: ['test/helpers/node-notice.ts'],
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads', isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['test/**/*.test.ts'],
          // Browser suites run under `npm run test:browser` (vitest.browser.config.ts): `npm test` needs only Node.
          exclude: ['test/unit/**', 'test/load/**', 'test/**/*.browser.test.ts', '**/node_modules/**'],
          pool: 'forks',
          isolate: false,
        },
      },
    ],
  },
});
