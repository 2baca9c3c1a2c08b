import type { InboundMessage, MediaItem } from '../domain/types.js';
import { PROVIDER_MEDIA } from '../resources.js';
import type { StoredAttachment } from './ports.js';
import {
  type AttachmentOwner,
  type AttachmentPorts,
  storeMessageAttachments,
} from './store-message-attachments.js';
import { storeProviderMedia } from './store-provider-media.js';
import type { VerifiedWebhook } from './verify-webhook.js';

export interface StoredForContext {
  readonly attachments: readonly StoredAttachment[];
  /** The message with each provider media item marked stored or not (and why not). */
  readonly message: InboundMessage;
}

/**
 * The attachment step between claim and queue, for every provider: email attachments (a failure is thrown, so the
 * claim is released), and WhatsApp media, fetched from the provider within what is left of the request's media
 * budget. Media the budget, the size bound or the provider did not allow stays with the provider: the context
 * says so and keeps the reference, and the message is queued anyway (the provider still holds the bytes).
 */
export async function storeVerifiedAttachments(
  deps: AttachmentPorts,
  verified: VerifiedWebhook,
  owner: AttachmentOwner,
  receivedAt: Date,
  now: Date,
): Promise<StoredForContext> {
  const source = verified.attachments;
  if (source.kind !== 'provider-media')
    return { attachments: await storeMessageAttachments(deps, source, owner), message: verified.message };
  const budgetMs = Math.max(0, receivedAt.getTime() + PROVIDER_MEDIA.budgetMs - now.getTime());
  const result = await storeProviderMedia(deps, source.source, owner, { ...source.options, budgetMs });
  const notStored = new Map(result.notStored.map((item) => [item.index, item.reason]));
  const media = verified.message.media?.map(
    (item, index): MediaItem => ({
      ...item,
      stored: !notStored.has(index),
      ...(notStored.has(index) ? { not_stored_reason: notStored.get(index) } : {}),
    }),
  );
  return {
    attachments: result.stored,
    message: media ? { ...verified.message, media } : verified.message,
  };
}
