import { createHash } from 'node:crypto';

export interface MessageObjectKeyParts {
  readonly prefix: string;
  readonly companyId: string;
  readonly conversationId: string;
  /** The provider's message id (Mailgun `Message-Id`); hashed, because it names the sender's domain. */
  readonly messageId: string;
  /**
   * Chosen by the gateway for each attempt at storing a message (never by the sender): two messages that reuse one
   * Message-Id — or one message and its retry — never write to the same key.
   */
  readonly attempt: string;
}

export interface AttachmentKeyParts extends MessageObjectKeyParts {
  /** Position of the attachment in the message (0-based). */
  readonly index: number;
}

export class UnsafeKeyPartError extends Error {
  override readonly name = 'UnsafeKeyPartError';
}

/** Percent-encoded, so no id can add a `/` and change the key's shape; S3 keys are at most 1,024 bytes. */
function segment(name: string, value: string): string {
  if (value === '' || value.length > 256) throw new UnsafeKeyPartError(`Bad ${name} for an object key`);
  return encodeURIComponent(value);
}

const ATTEMPT = /^[0-9a-f]{16,64}$/;

/**
 * The S3 key of one object stored for a message (an attachment, or any other blob of the same message):
 * `<prefix><company_id>/<conversation_id>/<sha256(message id), 32 hex>/<attempt>/<leaf>`. Free of addresses and
 * filenames (attacker-chosen and personal; the context carries the filename). The attempt part makes every key
 * new: a stored object is never overwritten, so a context's sha256 always describes the object its key names. A
 * provider retry after a failed attempt stores a fresh set; the failed attempt's objects are never referenced
 * by any context and expire with the bucket's lifecycle rule.
 */
export function messageObjectKey(parts: MessageObjectKeyParts, leaf: string): string {
  const company = segment('company id', parts.companyId);
  const conversation = segment('conversation id', parts.conversationId);
  if (parts.messageId === '') throw new UnsafeKeyPartError('Empty message id');
  if (!ATTEMPT.test(parts.attempt)) throw new UnsafeKeyPartError('Bad attempt id');
  const digest = createHash('sha256').update(parts.messageId, 'utf8').digest('hex').slice(0, 32);
  return `${parts.prefix}${company}/${conversation}/${digest}/${parts.attempt}/${segment('leaf', leaf)}`;
}

/** The key of the `index`-th attachment (0-based) of one attempt at storing a message. */
export function attachmentKey(parts: AttachmentKeyParts): string {
  if (!Number.isInteger(parts.index) || parts.index < 0) throw new UnsafeKeyPartError('Bad attachment index');
  return messageObjectKey(parts, String(parts.index));
}
