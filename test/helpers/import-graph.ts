import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Static and dynamic imports and re-exports of a relative module specifier. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

export interface ImportEdge {
  /** Repository-relative paths, `.ts` included. */
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every relative import between the TypeScript files under `dir` (and what they import outside it). */
export function importEdges(dir = 'src'): ImportEdge[] {
  return sourceFiles(dir).flatMap((from) => {
    const text = readFileSync(join(ROOT, from), 'utf8');
    return [...text.matchAll(IMPORT)].map((match) => {
      const target = resolve(ROOT, dirname(from), match[1] ?? '');
      return { from, to: relative(ROOT, target).replace(/\.js$/, '.ts') };
    });
  });
}

/** Whether some chain of imports leads from a file under `a` to a file under `b` (folders, `/`-terminated). */
export function reaches(edges: readonly ImportEdge[], a: string, b: string): ImportEdge[] | undefined {
  const next = new Map<string, ImportEdge[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge]);
  const seen = new Set<string>();
  const queue: { file: string; path: ImportEdge[] }[] = [...next.keys()]
    .filter((file) => file.startsWith(a))
    .map((file) => ({ file, path: [] }));
  while (queue.length > 0) {
    const { file, path } = queue.shift() as { file: string; path: ImportEdge[] };
    for (const edge of next.get(file) ?? []) {
      if (edge.to.startsWith(b)) return [...path, edge];
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      queue.push({ file: edge.to, path: [...path, edge] });
    }
  }
  return undefined;
}
