/** `replies-webhooks`: the CLI's composition root (bin/replies-webhooks.mjs loads it through tsx). */
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), processIo(process.env));
