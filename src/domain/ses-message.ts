import { BadRequestError } from './errors.js';
import { splitRecipient } from './mailgun-message.js';
import type { ParsedEmail } from './raw-email.js';
import type { SenderVerdict } from './sender-verdict.js';
import type { SesReceipt } from './ses-receipt.js';
import type { AttachmentItem, InboundMessage } from './types.js';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * Registry keys of an SES receipt, in order: each envelope recipient without its `+tag`, lower-cased. The use case
 * looks them up (after verification) and delivers to every registered one, as Mailgun posts once per recipient.
 */
export function sesRegistryCandidates(receipt: SesReceipt): string[] {
  return [...new Set(receipt.recipients.map((recipient) => splitRecipient(recipient).address))];
}

/**
 * A verified SES email → the channel-neutral inbound message, shaped exactly as `normaliseMailgun`'s: `from` is the
 * From header's address (the identity DMARC authenticates; the SMTP MAIL FROM only when the message names no single
 * From, and such a message is never authenticated), `to` the registered recipient, `body` the reply without quoted
 * history (`replyText`, cut by the caller after the registry look-up), `messageId` the Message-ID header.
 * `attachments` are what the attachment store returned for the parsed parts.
 */
export function normaliseSesEmail(
  input: {
    readonly receipt: SesReceipt;
    readonly email: ParsedEmail;
    readonly messageId: string;
    readonly senderVerdict?: SenderVerdict;
    /** The reply text (`replyText(email.text)`). */
    readonly body: string;
  },
  recipient: string,
  attachments: readonly AttachmentItem[],
): InboundMessage {
  const matched = input.receipt.recipients.find(
    (candidate) => splitRecipient(candidate).address === recipient,
  );
  if (!matched) throw new BadRequestError('Recipient is not one of the receipt recipients');
  const sender = (input.email.from || input.receipt.source || '').trim().toLowerCase();
  if (!EMAIL.test(sender)) throw new BadRequestError('Invalid field sender: must be an email address');
  if (input.messageId.length > 998) throw new BadRequestError('Invalid field Message-Id: is too long');
  const { address, conversationId } = splitRecipient(matched);
  return {
    channel: 'email',
    kind: 'message',
    from: sender,
    to: address,
    body: input.body,
    messageId: input.messageId,
    ...(input.senderVerdict ? { senderVerdict: input.senderVerdict } : {}),
    email: {
      ...(input.email.subject !== undefined ? { subject: input.email.subject } : {}),
      ...(input.email.inReplyTo !== undefined ? { in_reply_to: input.email.inReplyTo } : {}),
      attachments,
      ...(input.email.droppedAttachments > 0 ? { dropped_attachments: input.email.droppedAttachments } : {}),
      ...(conversationId ? { addressed_conversation_id: conversationId } : {}),
    },
  };
}
