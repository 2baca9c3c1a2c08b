/**
 * True when no array or object in `text` nests deeper than `maxDepth`. One linear pass that skips string contents
 * (with their escapes), run before `JSON.parse` so a hostile `[[[[…` cannot make the parser, or the schema walking
 * its result, recurse deeply. Malformed JSON may pass: the parser refuses it afterwards.
 */
export function jsonNestingWithin(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // backslash: the next character is escaped, whatever it is
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      depth++;
      if (depth > maxDepth) return false;
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
    }
  }
  return true;
}
