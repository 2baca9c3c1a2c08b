import { CHROMIUM_INSTALL_HINT, chromiumIsRunnable } from './chromium.js';

/**
 * vitest globalSetup of `npm run test:browser`: without a runnable browser it stops with one line rather than a
 * launch stack trace per suite. A set-up step, not module code of the config: tools that load the config (knip in
 * `npm test`) must not need Chromium.
 */
export default function setup(): void {
  if (chromiumIsRunnable()) return;
  console.error(CHROMIUM_INSTALL_HINT);
  process.exit(1);
}
