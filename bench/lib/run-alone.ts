import { pathToFileURL } from 'node:url';
import { type Figure, renderTable } from './report.js';

/**
 * `npx tsx bench/<file>.ts`: one measurement on its own, its table printed. Does nothing when the module is imported
 * (by `bench/run.ts`).
 */
export async function runAlone(
  moduleUrl: string,
  measure: () => Promise<{ readonly figures: Figure[]; readonly details?: unknown }>,
): Promise<void> {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  const result = await measure();
  process.stdout.write(`${renderTable(result.figures)}\n`);
}
