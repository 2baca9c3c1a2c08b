/** One value per key of a table of `src/resources.ts` (QUEUES, TABLES, …), as a record with the same keys. */
export function perKey<K extends string, V>(
  table: Readonly<Record<K, unknown>>,
  build: (key: K) => V,
): Record<K, V> {
  return Object.fromEntries((Object.keys(table) as K[]).map((key) => [key, build(key)])) as Record<K, V>;
}
