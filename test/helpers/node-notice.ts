import { nodeVersionNotice } from '../../src/local/node-version.js';

/**
 * vitest globalSetup: on a Node older than the stated one, one short line for the whole run (the AWS SDK's own
 * warning, once per worker — 35 copies in one `npm test` — is switched off in vitest.config.ts on such Nodes).
 */
export default function setup(): void {
  // Each vitest project runs the global set-up again in this same process: a flag keeps it to one line per run.
  if (process.env.REPLIES_NODE_NOTICE_SHOWN) return;
  process.env.REPLIES_NODE_NOTICE_SHOWN = '1';
  const notice = nodeVersionNotice(process.versions.node);
  if (notice) console.log(notice);
}
