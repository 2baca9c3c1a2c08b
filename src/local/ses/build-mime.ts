/** Builds MIME messages as mail clients send them, for the CLI's `send email --provider ses` and for tests. */
function base64Lines(bytes: Buffer): string {
  return bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
}

export interface MimeOptions {
  readonly from?: string;
  readonly to?: string;
  readonly subject?: string;
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly text?: string;
  readonly html?: string;
  readonly attachment?: MimeAttachment;
  readonly attachments?: readonly MimeAttachment[];
}

interface MimeAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** A MIME message as a mail client sends it: text and/or HTML alternatives, optionally attachments. */
export function buildMime(options: MimeOptions): Buffer {
  const headers = [
    `From: ${options.from ?? 'Jane Doe <jane.doe@example.com>'}`,
    `To: ${options.to ?? 'support@mail.acme.test'}`,
    `Subject: ${options.subject ?? 'Re: your order'}`,
    `Message-ID: ${options.messageId ?? '<CAF=reply-1@mail.example.com>'}`,
    ...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`, `References: ${options.inReplyTo}`] : []),
    'Date: Sun, 29 Nov 2026 09:00:00 +0000',
    'MIME-Version: 1.0',
  ];
  const parts: string[] = [];
  if (options.text !== undefined) {
    parts.push(
      `Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(Buffer.from(options.text))}`,
    );
  }
  if (options.html !== undefined) {
    parts.push(
      `Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(Buffer.from(options.html))}`,
    );
  }
  const body =
    parts.length === 1
      ? parts[0]
      : `Content-Type: multipart/alternative; boundary="alt-b"\r\n\r\n${parts.map((p) => `--alt-b\r\n${p}\r\n`).join('')}--alt-b--`;
  const attachments = [...(options.attachment ? [options.attachment] : []), ...(options.attachments ?? [])];
  if (attachments.length === 0) return Buffer.from(`${headers.join('\r\n')}\r\n${body}\r\n`);
  const files = attachments.map(
    ({ filename, contentType, bytes }) =>
      `--mix-b\r\nContent-Type: ${contentType}; name="${filename}"\r\nContent-Disposition: attachment; filename="${filename}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(bytes)}\r\n`,
  );
  return Buffer.from(
    `${headers.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary="mix-b"\r\n\r\n--mix-b\r\n${body}\r\n${files.join('')}--mix-b--\r\n`,
  );
}
