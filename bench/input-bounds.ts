import { parseMailgunForm } from '../src/app/channels/mailgun-form.js';
import { FORM_LIMITS } from '../src/domain/form-body.js';
import { scrubPii } from '../src/domain/mask.js';
import { atMost, type Figure } from './lib/report.js';
import { median } from './lib/stats.js';

/** Inputs an unauthenticated caller can choose, each the worst case of one scanning strategy. */
const ADVERSARIAL: Record<string, (chars: number) => string> = {
  'run without @': (n) => 'a'.repeat(n),
  '"a@" repeated': (n) => 'a@'.repeat(n / 2),
  'domain never ending in letters': (n) => `a@b${'.a1'.repeat(n / 3)}`,
  'phone prefix then separators': (n) => `+1${' '.repeat(n - 2)}`,
  'addresses and numbers in text': (n) =>
    'Hi, mail jo@example.org or call +44 7700 900123. '.repeat(Math.ceil(n / 50)).slice(0, n),
};

function microsPerKb(input: string, repeats: number): number {
  const rounds: number[] = [];
  for (let round = 0; round < 7; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < repeats; i++) scrubPii(input);
    rounds.push(Number(process.hrtime.bigint() - started) / 1e3 / repeats / (input.length / 1024));
  }
  return median(rounds);
}

async function millis(op: () => Promise<unknown>, repeats: number): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < repeats; i++) await op().catch(() => undefined);
    rounds.push(Number(process.hrtime.bigint() - started) / 1e6 / repeats);
  }
  return median(rounds);
}

/**
 * Issue 15 items 8 and 10: masking must cost the same per KB at 1 KB and at 1 MB (linear), and a urlencoded body
 * of 400,000 pairs must be refused at the field limit for about the cost of a normal one.
 */
export async function measureInputBounds(): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const perKb: Record<string, { kb1: number; mb1: number }> = {};
  for (const [name, make] of Object.entries(ADVERSARIAL)) {
    perKb[name] = { kb1: microsPerKb(make(1024), 2_000), mb1: microsPerKb(make(1024 * 1024), 3) };
  }
  const worst = (size: 'kb1' | 'mb1') => Math.max(...Object.values(perKb).map((v) => v[size]));
  const growth = Math.max(...Object.values(perKb).map((v) => v.mb1 / Math.max(v.kb1, 1e-3)));

  const urlencoded = (pairs: number) => Buffer.from(`recipient=r%40x.example&${'a=1&'.repeat(pairs)}`);
  const flood = urlencoded(400_000);
  const normal = urlencoded(FORM_LIMITS.pairs - 2);
  const type = 'application/x-www-form-urlencoded';
  const floodMs = await millis(() => parseMailgunForm(type, type, flood), 5);
  const normalMs = await millis(() => parseMailgunForm(type, type, normal), 200);

  return {
    figures: [
      { id: '8a', label: 'masking, worst adversarial input, 1 KB', value: worst('kb1'), unit: 'µs/KB' },
      { id: '8b', label: 'masking, worst adversarial input, 1 MB', value: worst('mb1'), unit: 'µs/KB' },
      {
        id: '8c',
        label: 'masking µs/KB at 1 MB ÷ at 1 KB, worst input (flat = linear)',
        value: growth,
        unit: '×',
        target: atMost(3),
      },
      {
        id: '10a',
        label: `urlencoded /email, 400,000 pairs (${(flood.length / 1e6).toFixed(1)} MB): refused after`,
        value: floodMs,
        unit: 'ms',
        target: atMost(50),
        baseline: `${FORM_LIMITS.pairs - 2} pairs parsed in ${normalMs.toFixed(3)} ms`,
      },
    ],
    details: { maskingMicrosPerKb: perKb, urlencoded: { floodMs, normalMs, floodBytes: flood.length } },
  };
}
