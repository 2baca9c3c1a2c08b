#!/usr/bin/env node
// Runs the TypeScript CLI straight from src/ (no build step): tsx's ESM loader is registered in-process, so
// `npm run replies-webhooks -- …` works in a fresh clone after `npm ci` (and never asks a registry for a package).
import { register } from 'tsx/esm/api';

// The AWS SDK's "Node 20 support ends" notice would otherwise precede every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../src/cli/main.ts');
