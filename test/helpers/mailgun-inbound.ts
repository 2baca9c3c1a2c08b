import { createHmac, randomBytes } from 'node:crypto';

export interface MailgunInboundInput {
  readonly url: string;
  readonly signingKey: string;
  readonly sender: string;
  readonly recipient: string;
  readonly subject?: string;
  readonly text?: string;
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly attachments?: readonly { name: string; type: string; content: Buffer }[];
  readonly timestamp?: number;
  readonly token?: string;
  /** Overrides the computed signature. */
  readonly signature?: string;
  readonly encoding?: 'multipart' | 'urlencoded';
  /** Mailgun's sender verdicts, posted as fields and inside message-headers; default: an authenticated sender. */
  readonly verdicts?: Readonly<Record<string, string>>;
  /** false: verdicts only inside message-headers, not as fields of their own. */
  readonly verdictFields?: boolean;
}

/** What Mailgun adds for a sender whose SPF and DKIM pass and that it does not flag as spam. */
export const AUTHENTICATED_VERDICTS: Readonly<Record<string, string>> = {
  'X-Mailgun-Spf': 'Pass',
  'X-Mailgun-Dkim-Check-Result': 'Pass',
  'X-Mailgun-Sflag': 'No',
};

export function mailgunSignature(signingKey: string, timestamp: string, token: string): string {
  return createHmac('sha256', signingKey)
    .update(timestamp + token)
    .digest('hex');
}

export function emailMessageId(): string {
  return `<${randomBytes(8).toString('hex')}@mail.example.com>`;
}

/** Posts an inbound email the way a Mailgun route does (forward action), signed with timestamp + token. */
export async function postMailgunWebhook(
  input: MailgunInboundInput,
): Promise<{ status: number; body: string; fields: Record<string, string> }> {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const token = input.token ?? randomBytes(25).toString('hex');
  const messageId = input.messageId ?? emailMessageId();
  const headers: [string, string][] = [
    ['Message-Id', messageId],
    ['Subject', input.subject ?? 'Re: Your application'],
    ['From', input.sender],
    ['To', input.recipient],
  ];
  if (input.inReplyTo) headers.push(['In-Reply-To', input.inReplyTo]);
  const verdicts = input.verdicts ?? AUTHENTICATED_VERDICTS;
  headers.push(...Object.entries(verdicts));
  const fields: Record<string, string> = {
    recipient: input.recipient,
    sender: input.sender,
    from: `Candidate <${input.sender}>`,
    subject: input.subject ?? 'Re: Your application',
    'body-plain': `${input.text ?? 'Thanks, I am interested.'}\n\n> quoted history`,
    'stripped-text': input.text ?? 'Thanks, I am interested.',
    'message-headers': JSON.stringify(headers),
    'Message-Id': messageId,
    timestamp,
    token,
    signature: input.signature ?? mailgunSignature(input.signingKey, timestamp, token),
    'attachment-count': String(input.attachments?.length ?? 0),
    ...(input.verdictFields === false ? {} : verdicts),
  };
  let response: Response;
  if (input.encoding === 'urlencoded') {
    response = await fetch(input.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  } else {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    (input.attachments ?? []).forEach((file, i) => {
      form.append(`attachment-${i + 1}`, new Blob([file.content], { type: file.type }), file.name);
    });
    response = await fetch(input.url, { method: 'POST', body: form });
  }
  return { status: response.status, body: await response.text(), fields };
}
