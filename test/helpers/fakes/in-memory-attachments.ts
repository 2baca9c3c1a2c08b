import { createHash } from 'node:crypto';
import type {
  AttachmentStore,
  AttachmentUpload,
  MailgunStorage,
  MailgunStoredAttachmentRef,
  StoredAttachment,
} from '../../../src/app/ports.js';
import { DependencyError } from '../../../src/domain/errors.js';
import type { MailgunApiHost } from '../../../src/domain/mailgun-api-host.js';
import { DisallowedStorageUrlError, isAllowedMailgunUrl } from '../../../src/domain/mailgun-storage-url.js';
import { FaultPlan } from './fault-plan.js';

const FAKE_BUCKET = 'fake-attachments';

/** The attachments bucket in memory: objects by key, hashed as the S3 adapter hashes them. */
export class InMemoryAttachmentStore implements AttachmentStore {
  readonly faults = new FaultPlan<'put'>();
  readonly objects = new Map<string, Buffer>();

  put(upload: AttachmentUpload): Promise<Omit<StoredAttachment, 'filename' | 'content_type'>> {
    return this.faults.run('put', [upload.key], async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of upload.body) chunks.push(Buffer.from(chunk));
      const data = Buffer.concat(chunks);
      if (data.length > upload.maxBytes) throw new DependencyError('s3', { permanent: 'too_large' });
      this.objects.set(upload.key, data);
      return {
        size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
        s3: { bucket: FAKE_BUCKET, key: upload.key },
      };
    });
  }
}

/** Mailgun's storage API in memory: attachment bytes by URL, the same allow-list as the HTTP adapter. */
export class InMemoryMailgunStorage implements MailgunStorage {
  readonly faults = new FaultPlan<'fetchMessage' | 'storeAttachments'>();
  readonly files = new Map<string, Buffer>();

  constructor(
    private readonly store: AttachmentStore,
    private readonly apiBaseUrl = 'https://api.mailgun.net',
  ) {}

  fetchMessage(url: string): Promise<Readonly<Record<string, unknown>>> {
    return this.faults.run('fetchMessage', [url], () => {
      if (!isAllowedMailgunUrl(url, this.apiBaseUrl)) throw new DisallowedStorageUrlError();
      return {};
    });
  }

  storeAttachments(
    refs: readonly MailgunStoredAttachmentRef[],
    keys: readonly string[],
    apiKey: string,
    apiHost?: MailgunApiHost,
  ): Promise<StoredAttachment[]> {
    return this.faults.run('storeAttachments', [refs, keys, apiKey, apiHost], async () => {
      // The tenant's regional API, as the HTTP adapter chooses it.
      const base = apiHost === 'api.eu.mailgun.net' ? 'https://api.eu.mailgun.net' : this.apiBaseUrl;
      for (const ref of refs) if (!isAllowedMailgunUrl(ref.url, base)) throw new DisallowedStorageUrlError();
      const stored: StoredAttachment[] = [];
      for (const [i, ref] of refs.entries()) {
        const data = this.files.get(ref.url) ?? Buffer.alloc(0);
        const result = await this.store.put({
          key: keys[i] as string,
          contentType: ref.contentType,
          body: (async function* () {
            yield data;
          })(),
          maxBytes: Number.MAX_SAFE_INTEGER,
        });
        stored.push({ filename: ref.name, content_type: ref.contentType, ...result });
      }
      return stored;
    });
  }
}
