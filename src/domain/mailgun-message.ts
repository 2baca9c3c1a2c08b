// zod/mini rather than `zod`: same checks, a fraction of the cold-start cost (see twilio-message.ts).
import * as z from 'zod/mini';
import { dkimSignatureDomains, fromMailbox } from './email-identity.js';
import { BadRequestError } from './errors.js';
import { domainOfAddress } from './organisational-domain.js';
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

type HeaderList = readonly (readonly [string, string])[];

/** `message-headers`: a JSON list of `[name, value]` pairs (the email's own headers, as the sender wrote them). */
function headerList(fields: Readonly<Record<string, string>>): HeaderList {
  const raw = fields['message-headers'];
  if (!raw) return [];
  const list = parseUntrustedJson(raw, 'Invalid field message-headers: not a JSON list');
  if (!Array.isArray(list)) return [];
  return list.filter(
    (entry): entry is [string, string] =>
      Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string',
  );
}

function headerValues(headers: HeaderList, name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}

function headerFromList(
  fields: Readonly<Record<string, string>>,
  headers: HeaderList,
  name: string,
): string | undefined {
  return fields[name] || headerValues(headers, name)[0];
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
  const headers = headerList(fields);
  const identity = fromAddress(fields, headers);
  const candidate = {
    recipient: fields.recipient?.trim(),
    // Mailgun's `sender` (the SMTP MAIL FROM) is required as before; `from` stands in only when it is absent.
    sender: (fields.sender ?? identity)?.trim().toLowerCase(),
    messageId: headerFromList(fields, headers, 'Message-Id')?.trim(),
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
  const subject = fields.subject ?? headerFromList(fields, headers, 'Subject');
  const inReplyTo = headerFromList(fields, headers, 'In-Reply-To');
  return {
    senderVerdict: mailgunVerdict(fields, headers),
    channel: 'email',
    kind: 'message',
    // The identity is the From address (what a person sees, what DMARC protects); the envelope sender only when the
    // message names no single From — such a message is never authenticated (`mailgunVerdict`).
    from: identity ?? parsed.data.sender,
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

/** The From header's one mailbox, from Mailgun's `from` field; none when the email carries several From headers. */
function fromAddress(fields: Readonly<Record<string, string>>, headers: HeaderList): string | undefined {
  if (headerValues(headers, 'From').length > 1) return undefined;
  return fromMailbox(fields.from);
}

/**
 * Mailgun's verdicts, read ONLY from the fields Mailgun posts: the email's own headers (`message-headers`) are written
 * by the sender and never stand in for a missing field. A verdict header that appears more than once among the
 * email's headers means the sender wrote one too, and the field may be theirs: no verdict. The identity: the From
 * domain, the envelope sender (`sender`, what SPF checked) and every DKIM-Signature `d=`.
 */
export function mailgunVerdict(
  fields: Readonly<Record<string, string>>,
  headers: HeaderList = headerList(fields),
): SenderVerdict {
  const posted = (name: string) => (headerValues(headers, name).length > 1 ? undefined : fields[name]);
  const spam = posted('X-Mailgun-Sflag')?.trim().toLowerCase();
  return {
    spf: authResult(posted('X-Mailgun-Spf')),
    dkim: authResult(posted('X-Mailgun-Dkim-Check-Result')),
    ...(spam === 'yes' ? { spam: true } : {}),
    identity: {
      ...optional('fromDomain', domainOfAddress(fromAddress(fields, headers))),
      ...optional('envelopeDomain', domainOfAddress(fields.sender)),
      dkimDomains: dkimSignatureDomains(headerValues(headers, 'DKIM-Signature')),
    },
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
