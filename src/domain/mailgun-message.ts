// zod/mini rather than `zod`: same checks, a fraction of the cold-start cost (see twilio-message.ts).
import * as z from 'zod/mini';
import { BadRequestError } from './errors.js';
import { parseUntrustedJson } from './parse-untrusted-json.js';
import { authResult, type SenderVerdict } from './sender-verdict.js';
import type { AttachmentItem, InboundMessage } from './types.js';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** `Reply+Conv-1@Mail.example.com` → registry key `reply@mail.example.com` and conversation `conv-1`. */
export function splitRecipient(recipient: string): { address: string; conversationId?: string } {
  const lower = recipient.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  if (at <= 0 || plus === -1) return { address: lower };
  // The conversation id keeps the case it was sent with: ids are case-sensitive sort keys.
  const original = recipient.trim();
  const conversationId = original.slice(plus + 1, original.lastIndexOf('@'));
  return {
    address: `${local.slice(0, plus)}${lower.slice(at)}`,
    ...(conversationId ? { conversationId } : {}),
  };
}

function headerFromList(fields: Readonly<Record<string, string>>, name: string): string | undefined {
  const direct = fields[name];
  if (direct) return direct;
  const raw = fields['message-headers'];
  if (!raw) return undefined;
  const list = parseUntrustedJson(raw, 'Invalid field message-headers: not a JSON list');
  if (!Array.isArray(list)) return undefined;
  const wanted = name.toLowerCase();
  for (const entry of list) {
    if (Array.isArray(entry) && typeof entry[0] === 'string' && entry[0].toLowerCase() === wanted) {
      return typeof entry[1] === 'string' ? entry[1] : undefined;
    }
  }
  return undefined;
}

function addressFrom(value: string): string {
  const angled = /<([^>]+)>/.exec(value);
  return (angled?.[1] ?? value).trim().toLowerCase();
}

const schema = z.object({
  recipient: z.string().check(z.regex(EMAIL, 'must be an email address')),
  sender: z.string().check(z.regex(EMAIL, 'must be an email address')),
  messageId: z.string().check(z.minLength(3, 'is required'), z.maxLength(998, 'is too long')),
});

export function normaliseMailgun(
  fields: Readonly<Record<string, string>>,
  attachments: readonly AttachmentItem[],
): InboundMessage {
  const sender = fields.sender ?? (fields.from ? addressFrom(fields.from) : undefined);
  const candidate = {
    recipient: fields.recipient?.trim(),
    sender: sender?.trim().toLowerCase(),
    messageId: headerFromList(fields, 'Message-Id')?.trim(),
  };
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === 'messageId' ? 'Message-Id' : String(issue?.path[0] ?? 'body');
    const missing = issue?.code === 'invalid_type';
    throw new BadRequestError(
      missing ? `Missing field: ${field}` : `Invalid field ${field}: ${issue?.message}`,
    );
  }
  const { address, conversationId } = splitRecipient(parsed.data.recipient);
  const subject = fields.subject ?? headerFromList(fields, 'Subject');
  const inReplyTo = headerFromList(fields, 'In-Reply-To');
  return {
    senderVerdict: mailgunVerdict(fields),
    channel: 'email',
    kind: 'message',
    from: parsed.data.sender,
    to: address,
    body: fields['stripped-text'] ?? fields['body-plain'] ?? '',
    messageId: parsed.data.messageId,
    email: {
      ...(subject !== undefined ? { subject } : {}),
      ...(inReplyTo !== undefined ? { in_reply_to: inReplyTo } : {}),
      attachments,
      ...(conversationId ? { addressed_conversation_id: conversationId } : {}),
    },
  };
}

/** Mailgun's verdicts, each read from its own field first, then from `message-headers`. */
export function mailgunVerdict(fields: Readonly<Record<string, string>>): SenderVerdict {
  const spam = headerFromList(fields, 'X-Mailgun-Sflag')?.trim().toLowerCase();
  return {
    spf: authResult(headerFromList(fields, 'X-Mailgun-Spf')),
    dkim: authResult(headerFromList(fields, 'X-Mailgun-Dkim-Check-Result')),
    ...(spam === 'yes' ? { spam: true } : {}),
  };
}
