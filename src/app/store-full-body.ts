import { randomBytes } from 'node:crypto';
import { messageObjectKey } from '../domain/attachment-key.js';
import { bodyExceedsBound } from '../domain/context-bounds.js';
import type { StoredObject } from '../domain/context-object.js';
import { ATTACHMENTS_BUCKET } from '../resources.js';
import type { AttachmentStore } from './ports.js';
import type { AttachmentOwner } from './store-message-attachments.js';

/**
 * A body too long for the queue (`bodyExceedsBound`) is stored whole, like an attachment: same bucket, same key
 * rules (`messageObjectKey`, leaf `body`, with an attempt id of its own, so no object is ever overwritten: a retry
 * stores a fresh copy) and the same SHA-256 the store computes over the bytes it sends. Undefined when the body
 * fits: no call at all.
 */
export async function storeFullBody(
  store: AttachmentStore,
  body: string,
  owner: AttachmentOwner,
): Promise<StoredObject | undefined> {
  if (!bodyExceedsBound(body)) return undefined;
  const bytes = Buffer.from(body, 'utf8');
  return store.put({
    key: messageObjectKey(
      { prefix: ATTACHMENTS_BUCKET.keyPrefix, ...owner, attempt: randomBytes(12).toString('hex') },
      'body',
    ),
    contentType: 'text/plain; charset=utf-8',
    body: (async function* () {
      yield bytes;
    })(),
    maxBytes: bytes.byteLength,
  });
}
