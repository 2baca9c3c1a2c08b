import EmailReplyParser from 'email-reply-parser';

/**
 * Some of email-reply-parser's header patterns backtrack polynomially within one line (`^(.+\son.*at.*wrote:)$`
 * costs ~100 ms on a 16,000-character line, measured here). RFC 5322 caps a line at 998 characters, so longer
 * lines are wrapped there first, and only the first 64 KiB of text is examined: a reply is written at the top.
 */
export const MAX_LINE_CHARS = 998;
const MAX_REPLY_INPUT_CHARS = 64 * 1024;

function bounded(text: string): string {
  const head = text.length > MAX_REPLY_INPUT_CHARS ? text.slice(0, MAX_REPLY_INPUT_CHARS) : text;
  return head
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      if (line.length <= MAX_LINE_CHARS) return line;
      const parts: string[] = [];
      for (let start = 0; start < line.length; start += MAX_LINE_CHARS)
        parts.push(line.slice(start, start + MAX_LINE_CHARS));
      return parts.join('\n');
    })
    .join('\n');
}

/**
 * The new text of a reply, without quoted history or signature (email-reply-parser, a port of GitHub's
 * email_reply_parser). When the parser finds nothing visible (a reply that is only a quote, or a shape it
 * misreads), the bounded full text is returned rather than an empty body.
 *
 * @example
 * replyText('Yes.\n\nOn Sat, 28 Nov 2026 Acme <a@acme.test> wrote:\n> When?'); // 'Yes.'
 */
export function replyText(text: string): string {
  const input = bounded(text);
  const visible = new EmailReplyParser().read(input).getVisibleText().trim();
  return visible === '' ? input.trim() : visible;
}
