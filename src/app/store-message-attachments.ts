/**
 * THE attachment step of the email pipeline, shared by every email path: Mailgun forward() (inline multipart),
 * Mailgun store(notify) (stored refs fetched with the API key) and the SES branch (parsed MIME parts). Call it after
 * the claim and before the queue send; a throw must release the claim (→ 5xx, or 406 for an email that can never be
 * accepted), so nothing is ever queued without its attachments.
 */
import { randomBytes } from 'node:crypto';
import { declaredContentType, safeFilename } from '../domain/attachment-filename.js';
import { attachmentKey } from '../domain/attachment-key.js';
import { DependencyError, NotAcceptableError } from '../domain/errors.js';
import type { MailgunApiHost } from '../domain/mailgun-api-host.js';
import { DisallowedStorageUrlError, isAttachmentOf } from '../domain/mailgun-storage-url.js';
import type { StoredAttachmentRef } from '../domain/mailgun-stored-attachments.js';
import { ATTACHMENTS_BUCKET, MAILGUN_MAX_MESSAGE_BYTES, OBSERVABILITY } from '../resources.js';
import type { ProviderMediaPorts } from './media-ports.js';
import type { AttachmentStore, MailgunStorage, StoredAttachment } from './ports.js';
import type { ProviderMediaOptions, ProviderMediaSource } from './store-provider-media.js';

/** Where a message's attachment bytes come from; `none` when it has none. */
export type AttachmentSource =
  | { readonly kind: 'none' }
  /** A verified inline multipart post: its file parts, in order (second busboy pass, one part at a time). */
  | { readonly kind: 'inline'; readonly contentTypeHeader: string; readonly body: Buffer }
  /** A store(notify) notification: the refs of its `attachments` field and the API key they are fetched with. */
  | {
      readonly kind: 'mailgun-stored';
      /** The notification's `message-url`: only its own attachments (`<message-url>/attachments/<n>`) are fetched. */
      readonly messageUrl: string;
      readonly refs: readonly StoredAttachmentRef[];
      readonly apiKey: string;
      /** The tenant's regional Mailgun API (registry `mailgun_api_host`); absent: the US API. */
      readonly apiHost?: MailgunApiHost;
    }
  /** Parts already in memory (SES: parsed MIME parts of the raw message). */
  | { readonly kind: 'parts'; readonly parts: readonly AttachmentPart[] }
  /**
   * WhatsApp media fetched from the provider (Meta's Graph API, Twilio's MediaUrlN): stored by
   * `storeProviderMedia` (`store-verified-attachments.ts`), which also says which media stayed with the provider.
   */
  | {
      readonly kind: 'provider-media';
      readonly source: ProviderMediaSource;
      readonly options?: ProviderMediaOptions;
    };

interface AttachmentPart {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

export interface AttachmentOwner {
  readonly companyId: string;
  readonly conversationId: string;
  /** The provider's message id (hashed into the keys; sender-chosen, so never their only unique part). */
  readonly messageId: string;
}

export interface AttachmentPorts extends ProviderMediaPorts {
  readonly attachments: AttachmentStore;
  readonly mailgunStorage: MailgunStorage;
}

/**
 * Stores every attachment of one accepted message under fresh keys (`attachmentKey` with an attempt id chosen here,
 * so no stored object is ever overwritten — not by a second message reusing a Message-Id once the first one's
 * receipt has rotated out, nor by a retry); returns them in order, each with its filename cleaned (`safeFilename`)
 * and its declared type (`declaredContentType`); the objects themselves are `application/octet-stream`. Failures
 * are the adapters' (`dependencyCall`): a DependencyError, transient (503) or permanent (too large: the caller hands
 * the message to a human); 406 (NotAcceptableError) for a stored attachment URL that is not one of this message's
 * on Mailgun's storage API.
 */
export async function storeMessageAttachments(
  deps: AttachmentPorts,
  source: Exclude<AttachmentSource, { readonly kind: 'provider-media' }>,
  owner: AttachmentOwner,
): Promise<StoredAttachment[]> {
  const attempt = randomBytes(12).toString('hex');
  const keyFor = (index: number) =>
    attachmentKey({ prefix: ATTACHMENTS_BUCKET.keyPrefix, ...owner, attempt, index });
  switch (source.kind) {
    case 'none':
      return [];
    case 'inline': {
      // The multipart parser loads with the first inline email, not on every cold start.
      const { storeInlineAttachments } = await import('./store-inline-attachments.js');
      return storeInlineAttachments(deps.attachments, {
        contentTypeHeader: source.contentTypeHeader,
        body: source.body,
        keyFor,
        maxBytesPerAttachment: MAILGUN_MAX_MESSAGE_BYTES,
      });
    }
    case 'mailgun-stored':
      if (source.refs.length === 0) return [];
      // A configuration gap, not a bad email: 503 (logged with this cause) so Mailgun retries once it is fixed.
      if (source.apiKey === '')
        throw new DependencyError('mailgun-storage', { cause: new Error('the email secret has no api_key') });
      return storeMailgunRefs(deps, source, keyFor).catch((error: unknown) => {
        // Mailgun retries any other 4xx for 8 hours: a URL we will never fetch can never succeed, so say "do not
        // retry". (A message over Mailgun's 25 MB is the adapter's permanent `too_large`: handed off.)
        if (error instanceof DisallowedStorageUrlError) {
          throw new NotAcceptableError(
            'Attachment URL is not a Mailgun storage URL of this message',
            OBSERVABILITY.metrics.storedAttachmentRefused,
            { cause: error },
          );
        }
        throw error;
      });
    case 'parts': {
      const stored: StoredAttachment[] = [];
      for (const [index, part] of source.parts.entries()) {
        const contentType = declaredContentType(part.contentType);
        const result = await deps.attachments.put({
          key: keyFor(index),
          contentType,
          body: (async function* () {
            yield part.content;
          })(),
          maxBytes: MAILGUN_MAX_MESSAGE_BYTES,
        });
        stored.push({ filename: safeFilename(part.filename, index), content_type: contentType, ...result });
      }
      return stored;
    }
  }
}

/** Every URL checked before the first fetch: one that is not this message's attachment fetches nothing at all. */
function storeMailgunRefs(
  deps: AttachmentPorts,
  source: Extract<AttachmentSource, { kind: 'mailgun-stored' }>,
  keyFor: (index: number) => string,
): Promise<StoredAttachment[]> {
  if (!source.refs.every((ref) => isAttachmentOf(ref.url, source.messageUrl))) {
    return Promise.reject(new DisallowedStorageUrlError());
  }
  const refs = source.refs.map((ref, index) => ({
    ...ref,
    name: safeFilename(ref.name, index),
    contentType: declaredContentType(ref.contentType),
  }));
  return deps.mailgunStorage.storeAttachments(
    refs,
    refs.map((_, index) => keyFor(index)),
    source.apiKey,
    source.apiHost,
  );
}
