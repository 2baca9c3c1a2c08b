import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../test-artifacts/reliability/', import.meta.url));

/**
 * Records measured figures of a suite under `test-artifacts/reliability/<suite>.json` (git-ignored), so the numbers
 * quoted in docs/reliability.md come from real runs rather than from memory.
 */
export function recordFigures(suite: string, name: string, figures: Readonly<Record<string, unknown>>): void {
  mkdirSync(DIR, { recursive: true });
  const file = `${DIR}${suite}.json`;
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // First figures of this suite.
  }
  all[name] = { ...figures, recordedAt: new Date().toISOString() };
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}

/** Nearest-rank percentile of `values` (ms), rounded. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[rank] ?? 0);
}
