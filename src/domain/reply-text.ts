/**
 * The new text of a reply, without quoted history or signature, in time linear in the input: one pass over the
 * lines, each examined with fixed string tests (no regular expression spans lines or backtracks). It replaces
 * email-reply-parser, whose signature patterns span lines, so the 998-character line cap did not bound them: its
 * cost grew about cubically (16 KB of crafted text took 7.7 s). Worst case at the 64 KiB input cap: bench figure
 * 20a (docs/performance.md).
 *
 * Where the history starts (the first of these; everything from it on is dropped):
 * - an attribution line ending in "wrote:" (or its French, German, Spanish, Italian, Dutch, Portuguese, Scandinavian
 *   or Polish form), together with the up to two lines above it that a client wrapped it over;
 * - `-----Original Message-----` (any number of dashes), or a line of underscores (Outlook's separator);
 * - an Outlook header block: `From:` followed within three lines by `Sent:` or `Date:`;
 * - a signature: the `-- ` delimiter, or "Sent from my …";
 * then trailing `>`-quoted lines and blank lines go too. A forwarded message (`---------- Forwarded message`) is kept:
 * it is what the sender sent. When nothing is left (a reply that is only a quote), the whole bounded text is returned.
 */
export const MAX_LINE_CHARS = 998;
export const MAX_REPLY_INPUT_CHARS = 64 * 1024;

const ATTRIBUTION_ENDINGS = [
  'wrote:',
  'a écrit :',
  'a écrit:',
  'schrieb:',
  'escribió:',
  'ha scritto:',
  'schreef:',
  'escreveu:',
  'skrev:',
  'napisał:',
];
const ATTRIBUTION_OPENERS = ['on ', 'le ', 'am ', 'el ', 'il ', 'op ', 'em ', 'den ', 'w dniu ', 'dnia '];

function lines(text: string): string[] {
  const head = text.length > MAX_REPLY_INPUT_CHARS ? text.slice(0, MAX_REPLY_INPUT_CHARS) : text;
  const out: string[] = [];
  for (const line of head.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.length <= MAX_LINE_CHARS) out.push(line);
    else
      for (let start = 0; start < line.length; start += MAX_LINE_CHARS)
        out.push(line.slice(start, start + MAX_LINE_CHARS));
  }
  return out;
}

function isQuoted(line: string): boolean {
  return line.trimStart().startsWith('>');
}

function isAttributionEnd(line: string): boolean {
  const trimmed = line.trim().toLowerCase();
  return ATTRIBUTION_ENDINGS.some((ending) => trimmed.endsWith(ending));
}

function opensAttribution(line: string): boolean {
  const lower = line.trimStart().toLowerCase();
  return ATTRIBUTION_OPENERS.some((opener) => lower.startsWith(opener));
}

/** The words between dashes of `-----Original Message-----` or `---------- Forwarded message ---------`. */
function dashedLabel(line: string): string | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('--') || !trimmed.endsWith('--')) return undefined;
  let start = 0;
  let end = trimmed.length;
  while (start < end && trimmed[start] === '-') start++;
  while (end > start && trimmed[end - 1] === '-') end--;
  return trimmed.slice(start, end).trim().toLowerCase();
}

function isUnderscoreRule(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed.length < 10) return false;
  for (const char of trimmed) if (char !== '_') return false;
  return true;
}

function startsWithField(line: string, names: readonly string[]): boolean {
  const lower = line.trimStart().toLowerCase().replace(/^\*/, '');
  return names.some((name) => lower.startsWith(name));
}

function isOutlookHeader(all: readonly string[], index: number): boolean {
  if (!startsWithField(all[index] ?? '', ['from:'])) return false;
  for (let next = index + 1; next <= index + 3 && next < all.length; next++) {
    if (startsWithField(all[next] ?? '', ['sent:', 'date:'])) return true;
  }
  return false;
}

function isSignature(line: string): boolean {
  if (line === '-- ' || line === '--') return true;
  return line.trim().toLowerCase().startsWith('sent from my ');
}

/** Index of the first line of quoted history or signature; `all.length` when there is none. */
function historyStart(all: readonly string[]): number {
  for (let index = 0; index < all.length; index++) {
    const line = all[index] ?? '';
    // Blank and quoted lines never start the history: skip them before any other test (most lines of a long
    // quote are one or the other).
    if (line.length === 0 || isQuoted(line) || line.trim() === '') continue;
    const label = dashedLabel(line);
    // A forwarded message is what the sender sent, headers and all: nothing below it is history.
    if (label === 'forwarded message') return all.length;
    if (isAttributionEnd(line)) {
      // A client may wrap the attribution: take in up to two non-blank lines above when they open it.
      for (let above = index; above >= Math.max(0, index - 2); above--) {
        const candidate = all[above] ?? '';
        if (candidate.trim() === '') break;
        if (opensAttribution(candidate)) return above;
      }
      return index;
    }
    if (
      label === 'original message' ||
      isUnderscoreRule(line) ||
      isSignature(line) ||
      isOutlookHeader(all, index)
    ) {
      return index;
    }
  }
  return all.length;
}

/**
 * @example
 * replyText('Yes.\n\nOn Sat, 28 Nov 2026 Acme <a@acme.test> wrote:\n> When?'); // 'Yes.'
 */
export function replyText(text: string): string {
  const all = lines(text);
  let end = historyStart(all);
  while (end > 0 && (isQuoted(all[end - 1] ?? '') || (all[end - 1] ?? '').trim() === '')) end--;
  const visible = all.slice(0, end).join('\n').trim();
  return visible === '' ? all.join('\n').trim() : visible;
}
