import { createHash } from 'node:crypto';

export interface AttachmentKeyParts {
  readonly prefix: string;
  readonly companyId: string;
  readonly conversationId: string;
  /** The provider's message id (Mailgun `Message-Id`); hashed, because it names the sender's domain. */
  readonly messageId: string;
  /** Position of the attachment in the message (0-based). */
  readonly index: number;
}

export class UnsafeKeyPartError extends Error {
  override readonly name = 'UnsafeKeyPartError';
}

/** Percent-encoded, so no id can add a `/` and change the key's shape; S3 keys are at most 1,024 bytes. */
function segment(name: string, value: string): string {
  if (value === '' || value.length > 256) throw new UnsafeKeyPartError(`Bad ${name} for an attachment key`);
  return encodeURIComponent(value);
}

/**
 * The S3 key of one attachment: `<prefix><company_id>/<conversation_id>/<sha256(message id), 32 hex>/<index>`.
 * Deterministic (a retried webhook overwrites the same objects, so retries store nothing twice) and free of
 * addresses and filenames (those are attacker-chosen and personal; the context carries the filename instead).
 */
export function attachmentKey(parts: AttachmentKeyParts): string {
  const company = segment('company id', parts.companyId);
  const conversation = segment('conversation id', parts.conversationId);
  if (!Number.isInteger(parts.index) || parts.index < 0) throw new UnsafeKeyPartError('Bad attachment index');
  if (parts.messageId === '') throw new UnsafeKeyPartError('Empty message id');
  const digest = createHash('sha256').update(parts.messageId, 'utf8').digest('hex').slice(0, 32);
  return `${parts.prefix}${company}/${conversation}/${digest}/${parts.index}`;
}
