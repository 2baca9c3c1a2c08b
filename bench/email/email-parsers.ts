/**
 * `npx tsx bench/email/email-parsers.ts`: the measurement behind the MIME parser choice for the SES branch. Bundles each
 * candidate as the Lambda bundle would (esbuild, node, minified ESM) and times parsing one reply with a 200 KB PDF.
 */

import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { simpleParser } from 'mailparser';
import PostalMime from 'postal-mime';
import { parseRawEmail } from '../../src/domain/raw-email.js';
import { replyText } from '../../src/domain/reply-text.js';
import { buildMime, pdfBytes, sha256 } from '../../test/fixtures/ses/mime-fixtures.js';
import { REPLY_SHAPES } from '../../test/fixtures/ses/reply-shapes.js';

const entries: Record<string, string> = {
  'postal-mime': "import P from 'postal-mime'; export const parse = (b) => P.parse(b);",
  mailparser: "import { simpleParser } from 'mailparser'; export const parse = (b) => simpleParser(b);",
  'email-reply-parser':
    "import E from 'email-reply-parser'; export const parse = (t) => new E().read(t).getVisibleText();",
};

async function bundleSize(source: string): Promise<{ raw: number; gzip: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { raw: code.byteLength, gzip: gzipSync(code).byteLength };
}

const pdf = pdfBytes(200 * 1024);
const mime = buildMime({
  text: 'Yes, Tuesday works.\n\nOn Sat, Nov 28, 2026 at 9:00 AM Acme <support@mail.acme.test> wrote:\n> When suits you?\n',
  html: '<div>Yes, Tuesday works.</div><blockquote>When suits you?</blockquote>',
  attachment: { filename: 'invoice.pdf', contentType: 'application/pdf', bytes: pdf },
});

async function time(parse: () => Promise<string>, runs: number): Promise<{ medianMs: number; ok: boolean }> {
  let ok = true;
  for (let i = 0; i < 5; i++) ok = ok && (await parse()) === sha256(pdf);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await parse();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)] ?? Number.NaN, ok };
}

const parsers = {
  'postal-mime': async () => {
    const email = await PostalMime.parse(mime);
    return sha256(new Uint8Array(email.attachments[0]?.content as ArrayBuffer));
  },
  mailparser: async () => {
    const email = await simpleParser(mime);
    return sha256(email.attachments[0]?.content ?? Buffer.alloc(0));
  },
};

console.log(`fixture: ${mime.byteLength} bytes MIME, PDF ${pdf.byteLength} bytes`);
console.log('| library | bundle (min) | gzip | median parse | PDF byte-exact |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const [name, source] of Object.entries(entries)) {
  const size = await bundleSize(source);
  const parse = parsers[name as keyof typeof parsers];
  const timing = parse ? await time(parse, 50) : undefined;
  console.log(
    `| ${name} | ${(size.raw / 1024).toFixed(1)} KiB | ${(size.gzip / 1024).toFixed(1)} KiB | ${
      timing ? `${timing.medianMs.toFixed(2)} ms` : '–'
    } | ${timing ? (timing.ok ? 'yes' : 'NO') : '–'} |`,
  );
}

// Reply text vs Mailgun's stripped-text on the fixture set of real-world reply shapes.
let agree = 0;
for (const shape of REPLY_SHAPES) {
  const email = await parseRawEmail(
    buildMime({
      ...(shape.text !== undefined ? { text: shape.text } : {}),
      ...(shape.html !== undefined ? { html: shape.html } : {}),
    }),
  );
  if (replyText(email.text) === shape.mailgunStrippedText) agree++;
  else console.log(`differs from stripped-text: ${shape.name}${shape.ours ? ` (${shape.ours.why})` : ''}`);
}
console.log(`reply text = Mailgun stripped-text on ${agree}/${REPLY_SHAPES.length} reply shapes`);

// Worst case for the reply parser's backtracking patterns within the bounds (64 KiB of 998-character lines).
const hostileLine = `${'x on '.repeat(199)}at`.slice(0, 998);
const hostile = Array.from({ length: 70 }, () => hostileLine).join('\n');
const hostileStarted = performance.now();
replyText(hostile);
console.log(
  `reply parser on ${hostile.length} hostile characters: ${(performance.now() - hostileStarted).toFixed(0)} ms`,
);
