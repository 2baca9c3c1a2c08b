/**
 * DynamoDB's billed item size, from its documented rules ("Item sizes and formats" in the developer guide):
 * attribute names count as UTF-8 bytes; strings UTF-8 bytes; numbers about (significant digits / 2) + 1 bytes;
 * booleans and null 1 byte; maps and lists 3 bytes plus their elements (a map element also counts its name,
 * every element one more byte). Used to turn measured items into read and write units for docs/cost.md.
 */
export function itemSizeBytes(item: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item))
    total += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return total;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value).replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value))
    return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, element) => sum + valueSize(element), 0);
  if (typeof value === 'object') {
    let total = 3;
    for (const [name, nested] of Object.entries(value)) {
      total += 1 + Buffer.byteLength(name, 'utf8') + valueSize(nested);
    }
    return total;
  }
  return 0;
}

/** Write request units for one standard write of an item of this size (1 KB steps). */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
/** Read request units for one read returning this many bytes (4 KB steps; eventually consistent costs half). */
export const readUnits = (bytes: number, consistent: boolean): number =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
