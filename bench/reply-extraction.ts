import EmailReplyParser from 'email-reply-parser';
import { htmlToText } from '../src/domain/html-to-text.js';
import { MAX_REPLY_INPUT_CHARS, replyText } from '../src/domain/reply-text.js';
import { atMost, type Figure } from './lib/report.js';
import { median } from './lib/stats.js';

/**
 * Reply extraction at its maximum input (64 KiB: `MAX_REPLY_INPUT_CHARS`, what `replyText` reads), over the worst
 * inputs we could construct for a line scanner: every line a candidate for each history test, lines at the
 * 998-character cap, no newline at all, attribution look-backs, Outlook look-aheads, a trailing quote to strip, and
 * the cubic case of the parser it replaced. Baseline: email-reply-parser 2.3.9 (the replaced parser) on its own
 * worst case at 16 KiB (64 KiB would take minutes).
 */
const FILL = (unit: string, chars = MAX_REPLY_INPUT_CHARS) =>
  unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

const WORST_REPLY_INPUTS: Record<string, () => string> = {
  'email-reply-parser’s cubic case (Op … schreef …:)': () => `Yes.\n${FILL('Op a schreef b: c\n')}`,
  'one line, no newline (wrapped at 998)': () => FILL('a'),
  '998-character lines ending near "wrote:"': () => FILL(`On ${'x'.repeat(990)} wrote\n`),
  'every line opens an attribution, none ends one': () => FILL('On Sat, Nov 28, 2026 at 9:00 AM Acme\n'),
  'every line an Outlook From: without Sent:': () => FILL('From: Acme Support <support@acme.test>\n'),
  'reply, then 64 KiB of quoted lines': () => `Yes.\n${FILL('> quoted history line\n')}`,
  'blank lines only': () => FILL('\n'),
  'dash lines that are not separators': () => FILL(`--${'-'.repeat(900)}x--\n`),
  'HTML quote bomb, converted then extracted': () =>
    htmlToText(`<div>Yes.</div>${'<blockquote>q<br>'.repeat(40_000)}`),
};

function millis(op: () => unknown, repeats: number): number {
  const rounds: number[] = [];
  for (let round = 0; round < 7; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < repeats; i++) op();
    rounds.push(Number(process.hrtime.bigint() - started) / 1e6 / repeats);
  }
  return median(rounds);
}

export function measureReplyExtraction(): { figures: Figure[]; details: Record<string, unknown> } {
  const perInput: Record<string, { chars: number; ms: number }> = {};
  for (const [name, make] of Object.entries(WORST_REPLY_INPUTS)) {
    const input = make();
    replyText(input);
    perInput[name] = { chars: input.length, ms: millis(() => replyText(input), 20) };
  }
  const [worstName, worst] = Object.entries(perInput).sort((a, b) => b[1].ms - a[1].ms)[0] ?? ['', { ms: 0 }];
  const old = `Yes.\n${FILL('Op a schreef b: c\n', 16 * 1024)}`;
  const oldMs = millis(() => new EmailReplyParser().read(old).getVisibleText(), 1);
  return {
    figures: [
      {
        id: '20a',
        label: `reply extraction, worst of ${Object.keys(perInput).length} crafted inputs at 64 KiB`,
        value: worst.ms,
        unit: 'ms',
        target: atMost(50),
        baseline: `worst: ${worstName}; email-reply-parser on its worst 16 KiB input: ${oldMs.toFixed(0)} ms`,
      },
    ],
    details: { replyExtraction: { perInput, emailReplyParser16KiBMs: oldMs } },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { figures, details } = measureReplyExtraction();
  console.log(JSON.stringify({ figures, details }, null, 2));
}
