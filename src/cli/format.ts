import { maskAddress } from '../domain/mask.js';
import type { CliIo } from './cli-io.js';

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** A plain aligned table; cells are single-line so a long body cannot break the layout. */
export function table(
  rows: ReadonlyArray<Readonly<Record<string, string>>>,
  columns: readonly string[],
): string {
  const cell = (row: Readonly<Record<string, string>>, column: string) =>
    (row[column] ?? '').replace(/\s+/g, ' ');
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => cell(row, column).length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map((row) => line(columns.map((column) => cell(row, column))))].join('\n');
}

export function preview(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function progressBar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Stored items as `--json`, a line when there are none, or a table of `row(item, show)`: `show` masks an address
 * unless `--unmasked` was given.
 */
export function printItems(
  io: CliIo,
  items: readonly Record<string, unknown>[],
  options: { readonly json: boolean; readonly unmasked: boolean; readonly empty: string },
  row: (item: Record<string, unknown>, show: (value: unknown) => string) => Record<string, string>,
): void {
  if (options.json) {
    printJson(io, { items });
    return;
  }
  if (items.length === 0) {
    io.out(options.empty);
    return;
  }
  const show = (value: unknown) =>
    options.unmasked ? String(value ?? '') : maskAddress(String(value ?? ''));
  const rows = items.map((item) => row(item, show));
  io.out(table(rows, Object.keys(rows[0] ?? {})));
}
