import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces through the bundle's source map, paid for only when an error is logged. `--enable-source-maps`
 * parses the map at start-up instead: 25-50 ms of every cold start for traces that are rarely needed
 * (docs/performance.md, 2d). The map of each bundle file is read once, on first use.
 */
const maps = new Map<string, SourceMap | undefined>();

function mapFor(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      // No map beside this file (node_modules, tsx in the local stack): its frames stay as they are.
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

/** `file:///var/task/index.mjs:1:2345` → its original position, or undefined when it has none. */
function mapLocation(location: string): string | undefined {
  const columnAt = location.lastIndexOf(':');
  const lineAt = location.lastIndexOf(':', columnAt - 1);
  if (lineAt <= 0) return undefined;
  const line = Number(location.slice(lineAt + 1, columnAt));
  const column = Number(location.slice(columnAt + 1));
  if (!Number.isInteger(line) || !Number.isInteger(column)) return undefined;
  const path = location.slice(0, lineAt);
  const file = path.startsWith('file://') ? fileURLToPath(path) : path;
  if (!file.endsWith('.js') && !file.endsWith('.mjs')) return undefined;
  const entry = mapFor(file)?.findEntry(line - 1, column - 1);
  if (!entry || !('originalSource' in entry)) return undefined;
  return `${entry.originalSource}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

/**
 * The stack's frames (`at name (file:line:col)`), each bundle frame pointing at the original source. The message
 * lines are dropped: they are logged on their own, and a parser's message can quote its input.
 */
export function sourceMappedFrames(stack: string): string {
  return stack
    .split('\n')
    .map((line) => line.trim())
    .filter((frame) => frame.startsWith('at '))
    .map((frame) => {
      const open = frame.lastIndexOf('(');
      const inParens = open >= 0 && frame.endsWith(')');
      const start = inParens ? open + 1 : 3;
      const location = frame.slice(start, inParens ? -1 : undefined);
      const mapped = mapLocation(location);
      return mapped ? `${frame.slice(0, start)}${mapped}${inParens ? ')' : ''}` : frame;
    })
    .join('\n');
}
