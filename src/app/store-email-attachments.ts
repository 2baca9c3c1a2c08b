import { attachmentKey } from '../domain/attachment-key.js';
import type { RawEmailAttachment } from '../domain/raw-email.js';
import { ATTACHMENTS_BUCKET } from '../resources.js';
import type { AttachmentStore, StoredAttachment } from './ports.js';
import type { AttachmentTarget } from './process-webhook.js';

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * Kept small and self-contained so it can give way to issue 13's shared attachment step (`storeMessageAttachments`
 * with a `parts` source) once that is merged: one attachment step for every email path.
 *
 * Stores the parts of a parsed MIME message (SES) the way issue 13 stores Mailgun's: one at a time, under the
 * deterministic `attachmentKey` of the conversation, each listed as `{filename, content_type, size, sha256, s3}`.
 * The bytes are already in memory (the MIME was parsed whole, ≤ 25 MiB); this keeps no second copy.
 */
export async function storeEmailAttachments(
  store: AttachmentStore,
  attachments: readonly RawEmailAttachment[],
  target: AttachmentTarget,
  maxBytesPerAttachment: number,
): Promise<StoredAttachment[]> {
  const stored: StoredAttachment[] = [];
  for (const [index, attachment] of attachments.entries()) {
    const key = attachmentKey({ prefix: ATTACHMENTS_BUCKET.keyPrefix, ...target, index });
    const result = await store.put({
      key,
      contentType: attachment.content_type,
      body: once(attachment.content),
      maxBytes: maxBytesPerAttachment,
    });
    stored.push({ filename: attachment.filename, content_type: attachment.content_type, ...result });
  }
  return stored;
}
