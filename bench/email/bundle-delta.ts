/**
 * `npx tsx bench/email/bundle-delta.ts`: what the SES branch's runtime modules add to the Lambda bundle, with the
 * deployed esbuild settings (infra/bundling.ts). Baseline = the handler as it is; candidate = the handler plus
 * every module the SES branch of POST /email will import once wired (verification, certificate fetch, receipt,
 * MIME and reply parsing, the SESv2 sender and client). The S3 client comes with the email attachments and is not counted here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WEBHOOK_HANDLER_ENTRY } from '../../infra/paths.js';
import { bundleLambda } from '../lib/lambda-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'ses-bundle-'));
let builds = 0;
async function size(source: string): Promise<number> {
  builds += 1;
  return (await bundleLambda({ source }, join(dir, String(builds)))).bytes;
}

const handler = `export * from ${JSON.stringify(WEBHOOK_HANDLER_ENTRY)};`;
const ses = `
export { SESv2Client } from '@aws-sdk/client-sesv2';
export { SesOutboundSender } from './src/adapters/ses/sesv2-outbound-sender.ts';
export { HttpSnsCertificates } from './src/adapters/ses/http-sns-certificates.ts';
export { HttpSnsSubscriptions } from './src/adapters/ses/http-sns-subscriptions.ts';
export * from './src/app/ses-inbound.ts';
`;
const baseline = await size(handler);
const parts: Array<[string, string]> = [
  ['postal-mime + reply parser + HTML-to-text', `${handler}\nexport * from './src/domain/raw-email.ts';`],
  [
    'SNS verification + receipt',
    `${handler}\nexport * from './src/domain/sns-signature.ts';\nexport * from './src/domain/ses-receipt.ts';`,
  ],
  [
    'SESv2 client + sender',
    `${handler}\nexport { SESv2Client } from '@aws-sdk/client-sesv2';\nexport { SesOutboundSender } from './src/adapters/ses/sesv2-outbound-sender.ts';`,
  ],
  ['the whole SES branch', `${handler}\n${ses}`],
];
console.log(`| bundle | bytes | delta |\n| --- | ---: | ---: |\n| handler today | ${baseline} | |`);
for (const [name, contents] of parts) {
  const bytes = await size(contents);
  console.log(`| + ${name} | ${bytes} | +${((bytes - baseline) / 1024).toFixed(1)} KiB |`);
}
rmSync(dir, { recursive: true, force: true });
