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

/** An item attribute as a table cell: its text, `''` when absent. */
export const cellText = (value: unknown): string => String(value ?? '');

/** Cells holding numbers or addresses: masked unless the user asked for `--unmasked`. */
export const addressCell =
  (unmasked: boolean) =>
  (value: unknown): string =>
    unmasked ? cellText(value) : maskAddress(cellText(value));

/** A listing: `{ items }` with `--json`, `empty` when there are none, else a table of `row(item)`, one per item. */
export function printItems<T>(
  io: CliIo,
  listing: {
    readonly json: boolean;
    readonly items: readonly T[];
    readonly empty: string;
    readonly row: (item: T) => Record<string, string>;
  },
): void {
  const { json, items, empty, row } = listing;
  if (json) printJson(io, { items });
  else if (items.length === 0) io.out(empty);
  else {
    const rows = items.map(row);
    io.out(table(rows, Object.keys(rows[0] ?? {})));
  }
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
