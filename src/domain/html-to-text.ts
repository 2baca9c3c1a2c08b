/**
 * HTML-only email → plain text, for the reply parser. Hand-written on purpose: `html-to-text` (the library
 * mailparser uses) adds 191 KiB minified to a Lambda bundle that has a 600 KB budget and already uses 500 KB, and
 * postal-mime does not export its own converter (measured 2026-11-29, bench/email/email-parsers.ts). This is a
 * single forward scan with `indexOf` (linear in the input, no regex over markup), and only what replies need:
 * block breaks, `> ` for blockquotes, entities, and cutting the quoted history mail clients mark in their HTML.
 */
const BLOCK = new Set([
  'p',
  'div',
  'br',
  'tr',
  'li',
  'ul',
  'ol',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'blockquote',
  'dd',
  'dt',
]);
const SKIPPED = new Set(['style', 'script', 'head', 'title', 'template']);
/**
 * Where a client starts the quoted history (everything after it is history): Gmail's `gmail_quote` and
 * `gmail_signature`, Outlook's `divRplyFwdMsg` / `appendonsend`, Yahoo's `yahoo_quoted`.
 */
const CUT_MARKERS = ['gmail_quote', 'gmail_signature', 'divrplyfwdmsg', 'appendonsend', 'yahoo_quoted'];
const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  copy: '©',
  reg: '®',
  euro: '€',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function tagName(tag: string): string {
  let end = 0;
  while (end < tag.length && /[a-zA-Z0-9]/.test(tag[end] ?? '')) end++;
  return tag.slice(0, end).toLowerCase();
}

/**
 * Nested quotes beyond this depth share one prefix: the prefix is repeated on every line, so an unbounded depth
 * makes the output grow as lines × depth (measured: 147 KB of crafted HTML → 180 M characters).
 */
const MAX_QUOTE_DEPTH = 8;
/** More text than the reply parser ever reads (it takes the first 64 KiB): stop converting past it. */
export const MAX_HTML_TEXT_CHARS = 256 * 1024;

/**
 * @example
 * htmlToText('<div>Yes.</div><div class="gmail_quote">On … wrote: …</div>'); // 'Yes.'
 */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  let line = '';
  let quoteDepth = 0;
  let skipping: string | undefined;
  let length = 0;
  const breakLine = () => {
    const prefix = '> '.repeat(Math.min(quoteDepth, MAX_QUOTE_DEPTH));
    const text = line.trim() === '' ? '' : `${prefix}${line.trim()}`;
    lines.push(text);
    length += text.length + 1;
    line = '';
  };
  let index = 0;
  while (index < html.length && length + line.length <= MAX_HTML_TEXT_CHARS) {
    const open = html.indexOf('<', index);
    const textEnd = open === -1 ? html.length : open;
    if (!skipping && textEnd > index) line += decodeEntities(html.slice(index, textEnd).replace(/\s+/g, ' '));
    if (open === -1) break;
    if (html.startsWith('<!--', open)) {
      const close = html.indexOf('-->', open + 4);
      index = close === -1 ? html.length : close + 3;
      continue;
    }
    const close = html.indexOf('>', open + 1);
    if (close === -1) break;
    const tag = html.slice(open + 1, close);
    index = close + 1;
    const closing = tag.startsWith('/');
    const name = tagName(closing ? tag.slice(1) : tag);
    if (skipping) {
      if (closing && name === skipping) skipping = undefined;
      continue;
    }
    if (SKIPPED.has(name) && !closing && !tag.endsWith('/')) {
      skipping = name;
      continue;
    }
    if (!closing) {
      const attributes = tag.toLowerCase();
      if (CUT_MARKERS.some((marker) => attributes.includes(marker))) break;
    }
    if (BLOCK.has(name)) {
      if (line.trim() !== '' || name === 'br') breakLine();
      if (name === 'blockquote') quoteDepth = Math.max(0, quoteDepth + (closing ? -1 : 1));
    }
  }
  if (line.trim() !== '') breakLine();
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
