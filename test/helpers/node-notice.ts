import { nodeVersionNotice } from '../../src/local/node-version.js';

/**
 * vitest globalSetup: on a Node older than the stated one, one short line for the whole run (the AWS SDK's own
 * warning, once per worker — 35 copies in one `npm test` — is switched off in vitest.config.ts on such Nodes).
 */
export default function setup(): void {
  const notice = nodeVersionNotice(process.versions.node);
  if (notice) console.log(notice);
}
