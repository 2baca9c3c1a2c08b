import { describe, expect, it } from 'vitest';
import { BadRequestError, PayloadTooLargeError } from '../../src/domain/errors.js';
import { htmlToText, MAX_HTML_TEXT_CHARS } from '../../src/domain/html-to-text.js';
import { parseRawEmail, RAW_EMAIL_LIMITS } from '../../src/domain/raw-email.js';
import { MAX_LINE_CHARS, replyText } from '../../src/domain/reply-text.js';
import { buildMime, pdfBytes, sha256 } from '../fixtures/ses/mime-fixtures.js';
import { REPLY_SHAPES } from '../fixtures/ses/reply-shapes.js';

describe('parseRawEmail', () => {
  it('a reply with a PDF: headers, reply text without the quote, the PDF byte for byte', async () => {
    const pdf = pdfBytes(200 * 1024);
    const email = await parseRawEmail(
      buildMime({
        from: 'Jane Doe <Jane.Doe@Example.com>',
        subject: 'Re: your visit',
        messageId: '<CAF=abc123@mail.gmail.com>',
        inReplyTo: '<outbound-1@mail.acme.test>',
        text: 'Invoice attached.\n\nOn Sat, Nov 28, 2026 at 9:00 AM Acme <support@mail.acme.test> wrote:\n> Please send the invoice.\n',
        attachment: { filename: 'invoice.pdf', contentType: 'application/pdf', bytes: pdf },
      }),
    );
    expect(email).toMatchObject({
      messageId: '<CAF=abc123@mail.gmail.com>',
      inReplyTo: '<outbound-1@mail.acme.test>',
      references: '<outbound-1@mail.acme.test>',
      subject: 'Re: your visit',
      from: 'jane.doe@example.com',
      droppedAttachments: 0,
    });
    expect(replyText(email.text)).toBe('Invoice attached.');
    expect(email.attachments).toHaveLength(1);
    const [attachment] = email.attachments;
    expect(attachment).toMatchObject({
      filename: 'invoice.pdf',
      content_type: 'application/pdf',
      size: pdf.byteLength,
    });
    expect(sha256(attachment?.content ?? new Uint8Array())).toBe(sha256(pdf));
  });

  it('HTML-only mail becomes text, without the quoted history', async () => {
    const email = await parseRawEmail(
      buildMime({
        html: '<p>Yes &amp; thanks!</p><div class="gmail_quote">On … wrote:<blockquote>old</blockquote></div>',
      }),
    );
    expect(replyText(email.text)).toBe('Yes & thanks!');
  });

  it('refuses a message over the byte cap before parsing it (413)', async () => {
    const limits = { ...RAW_EMAIL_LIMITS, maxBytes: 1024 };
    await expect(parseRawEmail(buildMime({ text: 'x'.repeat(2000) }), limits)).rejects.toThrow(
      PayloadTooLargeError,
    );
  });

  it('keeps at most maxAttachments and says how many it dropped', async () => {
    const limits = { ...RAW_EMAIL_LIMITS, maxAttachments: 0 };
    const email = await parseRawEmail(
      buildMime({
        text: 'hi',
        attachment: { filename: 'a.txt', contentType: 'text/plain', bytes: Buffer.from('a') },
      }),
      limits,
    );
    expect(email.attachments).toEqual([]);
    expect(email.droppedAttachments).toBe(1);
  });

  it('never lets a path or control characters into a filename', async () => {
    const email = await parseRawEmail(
      buildMime({
        text: 'hi',
        attachment: { filename: '../../etc/passwd', contentType: 'text/plain', bytes: Buffer.from('x') },
      }),
    );
    expect(email.attachments[0]?.filename).toBe('passwd');
  });

  it('a message without Message-ID has messageId undefined (the caller decides the fallback id)', async () => {
    const mime = buildMime({ text: 'hi' })
      .toString('latin1')
      .replace(/Message-ID: [^\r]*\r\n/, '');
    expect((await parseRawEmail(Buffer.from(mime, 'latin1'))).messageId).toBeUndefined();
  });
});

describe('replyText bounds', () => {
  it('wraps lines at the RFC 5322 limit before the reply parser sees them', () => {
    const long = 'a'.repeat(MAX_LINE_CHARS * 3);
    expect(
      replyText(long)
        .split('\n')
        .every((line) => line.length <= MAX_LINE_CHARS),
    ).toBe(true);
  });

  it('returns the text itself when the parser finds nothing visible', () => {
    expect(replyText('> only a quote')).toBe('> only a quote');
  });
});

describe('parseRawEmail refusals', () => {
  it('answers 400 (not 500) to MIME nested deeper than the limit', async () => {
    let part = 'Content-Type: text/plain\r\n\r\nhi\r\n';
    for (let i = 0; i < 40; i++)
      part = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${part}--b${i}--\r\n`;
    const raw = new TextEncoder().encode(
      `From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n${part}`,
    );

    await expect(parseRawEmail(raw)).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('htmlToText', () => {
  it.each([
    ['<div>a</div><div>b</div>', 'a\nb'],
    ['a<br>b<br/>c', 'a\nb\nc'],
    ['<style>.x{}</style><script>alert(1)</script>visible', 'visible'],
    ['x<!-- hidden <b>y</b> -->z', 'xz'],
    ['<blockquote>quoted</blockquote>', '> quoted'],
    ['&lt;tag&gt; &#233; &#x1F600; &unknown;', '<tag> é 😀 &unknown;'],
    ['unterminated <b', 'unterminated'],
    ['<div id="divRplyFwdMsg">From: x</div>', ''],
  ])('%j → %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('stays bounded on deeply nested quotes over many lines (the attack grew 147 KB of HTML to 180 M chars)', async () => {
    const html = `${'<blockquote>'.repeat(5_000)}${'<p>x</p>'.repeat(20_000)}`;

    const text = htmlToText(html);
    const email = await parseRawEmail(buildMime({ html }));

    expect(text.length).toBeLessThanOrEqual(MAX_HTML_TEXT_CHARS + 64);
    expect(text.split('\n')[0]).toBe(`${'> '.repeat(8)}x`);
    expect(email.text.length).toBeLessThanOrEqual(MAX_HTML_TEXT_CHARS + 64);
  });
});

describe('reply text vs Mailgun stripped-text on real-world reply shapes', () => {
  for (const shape of REPLY_SHAPES) {
    it(shape.name, async () => {
      const email = await parseRawEmail(
        buildMime({
          ...(shape.text !== undefined ? { text: shape.text } : {}),
          ...(shape.html !== undefined ? { html: shape.html } : {}),
        }),
      );
      expect(replyText(email.text)).toBe(shape.ours?.text ?? shape.mailgunStrippedText);
    });
  }

  it('agrees with stripped-text on all but the documented differences (14 of 15)', () => {
    const agreeing = REPLY_SHAPES.filter((shape) => shape.ours === undefined).length;
    expect(`${agreeing}/${REPLY_SHAPES.length}`).toBe('14/15');
  });
});
