import { randomBytes } from 'node:crypto';
import { declaredContentType, safeFilename } from '../domain/attachment-filename.js';
import { attachmentKey } from '../domain/attachment-key.js';
import { PayloadTooLargeError } from '../domain/errors.js';
import type { MetaMediaRef } from '../domain/meta-message.js';
import { DisallowedMediaUrlError, MediaDigestMismatchError } from '../domain/provider-media-url.js';
import type { MediaItem } from '../domain/types.js';
import { ATTACHMENTS_BUCKET, PROVIDER_MEDIA } from '../resources.js';
import { digestChecked } from './digest-checked.js';
import { mediaFilename } from './media-filename.js';
import type { MediaDownload, ProviderMediaPorts } from './media-ports.js';
import type { AttachmentStore, StoredAttachment } from './ports.js';
import type { AttachmentOwner } from './store-message-attachments.js';

/** A WhatsApp message's media and the tenant credentials its provider serves them with. */
export type ProviderMediaSource =
  | {
      readonly kind: 'meta';
      readonly accessToken: string;
      readonly phoneNumberId: string;
      readonly media: readonly MetaMediaRef[];
    }
  | {
      readonly kind: 'twilio';
      readonly accountSid: string;
      readonly authToken: string;
      /** `MediaUrlN` / `MediaContentTypeN` of the verified webhook. */
      readonly media: readonly MediaItem[];
    };

/**
 * Why a media item stayed with the provider: over the size bound, out of the webhook's time budget, a URL or
 * redirect off the provider's hosts, bytes not matching Meta's SHA-256, the provider failing or not answering, or
 * no adapter configured. The provider keeps the media (Meta: the id stays fetchable; Twilio: the URL), so the
 * context names it by `reference` instead.
 */
type MediaNotStoredReason =
  | 'too-large'
  | 'budget'
  | 'refused-url'
  | 'sha256-mismatch'
  | 'unavailable'
  | 'not-configured';

interface NotStoredMedia {
  readonly index: number;
  /** The Meta media id, or the Twilio `MediaUrlN`. */
  readonly reference: string;
  readonly content_type: string;
  readonly filename: string;
  readonly reason: MediaNotStoredReason;
  /** For the log: the failure's own message (never a URL, token or body). */
  readonly detail?: string;
}

export interface ProviderMediaResult {
  /** In the message's order, like email attachments: `{filename, content_type, size, sha256, s3}`. */
  readonly stored: readonly StoredAttachment[];
  readonly notStored: readonly NotStoredMedia[];
}

export interface ProviderMediaOptions {
  /** Per item; default PROVIDER_MEDIA.maxBytes. */
  readonly maxBytes?: number;
  /** Time for all the media of this message; what is left over stays with the provider. */
  readonly budgetMs?: number;
}

type Ports = ProviderMediaPorts & { readonly attachments: AttachmentStore };

function detailOf(error: unknown): string | undefined {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? `${current.name}: ${current.message}`.slice(0, 200) : undefined;
}

function reasonFor(error: unknown, budget: AbortSignal | undefined): MediaNotStoredReason {
  if (error instanceof MediaDigestMismatchError) return 'sha256-mismatch';
  if (error instanceof PayloadTooLargeError) return 'too-large';
  if (error instanceof DisallowedMediaUrlError) return 'refused-url';
  if (budget?.aborted) return 'budget';
  return 'unavailable';
}

/**
 * Streams one message's provider media into the attachment store, one item at a time, under the same
 * keys as email attachments (an attempt id chosen here: nothing is ever overwritten, a retry stores a fresh copy). Meta's announced SHA-256 is checked as the last
 * byte arrives: a mismatch fails the upload, so no wrong bytes are ever stored. Provider-side failures leave the
 * item with the provider (`notStored`); a failure of the store itself is thrown (a 503: nothing is queued without
 * what could have been stored).
 */
export async function storeProviderMedia(
  ports: Ports,
  source: ProviderMediaSource,
  owner: AttachmentOwner,
  options: ProviderMediaOptions = {},
): Promise<ProviderMediaResult> {
  const maxBytes = options.maxBytes ?? PROVIDER_MEDIA.maxBytes;
  const budget = options.budgetMs !== undefined ? AbortSignal.timeout(options.budgetMs) : undefined;
  const attempt = randomBytes(12).toString('hex');
  const stored: StoredAttachment[] = [];
  const notStored: NotStoredMedia[] = [];
  for (let index = 0; index < source.media.length; index++) {
    const item = describe(source, index);
    const leave = (reason: MediaNotStoredReason, error?: unknown) => {
      const detail = error === undefined ? undefined : detailOf(error);
      notStored.push({ index, ...item, reason, ...(detail ? { detail } : {}) });
    };
    if (budget?.aborted) {
      leave('budget');
      continue;
    }
    let download: { media: MediaDownload; digests: readonly string[] } | undefined;
    try {
      download = await open(ports, source, index, maxBytes, budget);
    } catch (error) {
      leave(reasonFor(error, budget), error);
      continue;
    }
    if (!download) {
      leave('not-configured');
      continue;
    }
    const failure: { error?: unknown } = {};
    try {
      const result = await ports.attachments.put({
        key: attachmentKey({ prefix: ATTACHMENTS_BUCKET.keyPrefix, ...owner, attempt, index }),
        contentType: declaredContentType(item.content_type),
        body: digestChecked(download.media.body, download.digests, failure),
        maxBytes,
      });
      stored.push({
        filename: safeFilename(item.filename, index),
        content_type: declaredContentType(item.content_type),
        ...result,
      });
    } catch (error) {
      await download.media.cancel();
      if (failure.error !== undefined) leave(reasonFor(failure.error, budget), failure.error);
      else if (error instanceof PayloadTooLargeError) leave('too-large', error);
      else throw error;
    }
  }
  return { stored, notStored };
}

function describe(source: ProviderMediaSource, index: number) {
  if (source.kind === 'meta') {
    const ref = source.media[index] as MetaMediaRef;
    return {
      reference: ref.id,
      content_type: ref.mimeType,
      filename: mediaFilename(ref.filename, ref.kind, ref.mimeType),
    };
  }
  const item = source.media[index] as MediaItem;
  return {
    reference: item.url,
    content_type: item.content_type,
    filename: mediaFilename(undefined, `media-${index}`, item.content_type),
  };
}

async function open(
  ports: ProviderMediaPorts,
  source: ProviderMediaSource,
  index: number,
  maxBytes: number,
  budget: AbortSignal | undefined,
): Promise<{ media: MediaDownload; digests: readonly string[] } | undefined> {
  const fetchOptions = { maxBytes, ...(budget ? { signal: budget } : {}) };
  if (source.kind === 'twilio') {
    if (!ports.twilioMedia) return undefined;
    const item = source.media[index] as MediaItem;
    const media = await ports.twilioMedia.download(item.url, source, fetchOptions);
    return { media, digests: [] };
  }
  if (!ports.graphApi) return undefined;
  const ref = source.media[index] as MetaMediaRef;
  const info = await ports.graphApi.mediaInfo(ref.id, source.accessToken, {
    phoneNumberId: source.phoneNumberId,
    ...(budget ? { signal: budget } : {}),
  });
  if (info.fileSize !== undefined && info.fileSize > maxBytes)
    throw new PayloadTooLargeError('Media too large');
  const media = await ports.graphApi.downloadMedia(info.url, source.accessToken, fetchOptions);
  const digests = [ref.sha256, info.sha256].filter((d): d is string => d !== undefined && d !== '');
  return { media, digests };
}
