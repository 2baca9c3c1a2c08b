/** One row of the bench table: a measured value, the target it is held to, and what it was compared with. */
export interface Figure {
  readonly id: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** Absent for figures that are reported, not judged (a baseline, a breakdown). */
  readonly target?: Target;
  /** What the value was compared with, measured in the same run. */
  readonly baseline?: string;
}

export interface Target {
  readonly op: '<=' | '>=';
  readonly limit: number;
}

export const atMost = (limit: number): Target => ({ op: '<=', limit });
export const atLeast = (limit: number): Target => ({ op: '>=', limit });

export function verdict(figure: Figure): 'pass' | 'FAIL' | '' {
  const { target } = figure;
  if (!target) return '';
  const ok = target.op === '<=' ? figure.value <= target.limit : figure.value >= target.limit;
  return ok ? 'pass' : 'FAIL';
}

/** Enough digits to compare runs and to see which side of a target a value falls (1.202 is not 1.20). */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toPrecision(4);
}

function cells(figure: Figure): string[] {
  // Targets are round constants: shown as written.
  const target = figure.target ? `${figure.target.op === '<=' ? '≤' : '≥'} ${figure.target.limit}` : '';
  return [
    figure.id,
    figure.label,
    `${formatNumber(figure.value)} ${figure.unit}`,
    target,
    verdict(figure),
    figure.baseline ?? '',
  ];
}

/** A plain-text table (also valid Markdown), one row per figure. */
export function renderTable(figures: readonly Figure[]): string {
  const header = ['#', 'figure', 'value', 'target', 'result', 'baseline (same run)'];
  const rows = [header, ...figures.map(cells)];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(header), rule, ...rows.slice(1).map(line)].join('\n');
}
