import type {
  AttachmentStore,
  MailgunStorage,
  MailgunStoredAttachmentRef,
  StoredAttachment,
} from '../../app/ports.js';
import { currentDeadline } from '../../app/request-deadline.js';
import { DependencyError, PayloadTooLargeError } from '../../domain/errors.js';
import type { MailgunApiHost } from '../../domain/mailgun-api-host.js';
import {
  DisallowedStorageUrlError,
  type MailgunStorageUrlKind,
  mailgunStorageUrlKind,
} from '../../domain/mailgun-storage-url.js';
import { MAILGUN_MAX_MESSAGE_BYTES } from '../../resources.js';
import { dependencyCall } from '../dependency-call.js';
import { mailgunApiBaseUrlFor } from './mailgun-api-base-url.js';

export interface HttpMailgunStorageOptions {
  /** MAILGUN_API_BASE_URL: the US API; with the EU one, the only hosts (and subdomains) the API key is sent to. */
  readonly mailgunApiBaseUrl: string;
  /** MAILGUN_EU_API_BASE_URL, for tenants whose entry names `api.eu.mailgun.net`. */
  readonly mailgunEuApiBaseUrl?: string;
  readonly store: AttachmentStore;
  /** Bound on one stored message's JSON and on all its attachments together (Mailgun's 25 MB). */
  readonly maxBytes?: number;
  /** Per request, when no webhook deadline is running (tooling); inside a webhook its deadline also applies. */
  readonly timeoutMs?: number;
}

export { DisallowedStorageUrlError };

const DEPENDENCY = 'mailgun-storage';

function basic(apiKey: string): string {
  return `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`;
}

function contentType(value: string): string {
  return value !== '' && value.length <= 255 && !/[\r\n]/.test(value) ? value : 'application/octet-stream';
}

/**
 * Mailgun's storage API over fetch. Every URL is checked against the allow-list before anything is sent, redirects
 * are refused (a redirect could carry the request, and the key, elsewhere), sizes are bounded before and while
 * reading, and attachments are streamed into the store one at a time, never held whole.
 */
export class HttpMailgunStorage implements MailgunStorage {
  private readonly maxBytes: number;

  constructor(private readonly options: HttpMailgunStorageOptions) {
    this.maxBytes = options.maxBytes ?? MAILGUN_MAX_MESSAGE_BYTES;
  }

  /**
   * Only the tenant's own regional API host (and its storage subdomains) ever gets its API key, and only for
   * Mailgun's storage API: a stored message, or one of its attachments; any other path is never fetched.
   */
  private assertAllowed(url: string, apiHost: MailgunApiHost | undefined, kind: MailgunStorageUrlKind): void {
    const base = mailgunApiBaseUrlFor(this.options, apiHost);
    if (mailgunStorageUrlKind(url, base) !== kind) throw new DisallowedStorageUrlError();
  }

  private async get(url: string, apiKey: string, accept: string): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 20_000);
    const deadline = currentDeadline();
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { Authorization: basic(apiKey), Accept: accept },
        redirect: 'error',
        signal: deadline ? AbortSignal.any([timeout, deadline]) : timeout,
      });
    } catch (error) {
      throw new DependencyError(DEPENDENCY, { cause: error });
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new DependencyError(DEPENDENCY, {
        cause: new Error(`Mailgun storage answered ${response.status}`),
      });
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > this.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new PayloadTooLargeError('Stored message too large');
    }
    return response;
  }

  async fetchMessage(
    url: string,
    apiKey: string,
    apiHost?: MailgunApiHost,
  ): Promise<Readonly<Record<string, unknown>>> {
    this.assertAllowed(url, apiHost, 'message');
    // Over Mailgun's 25 MB (PayloadTooLargeError inside): permanent `too_large`; every other failure transient.
    return dependencyCall(DEPENDENCY, () => this.readMessage(url, apiKey));
  }

  private async readMessage(url: string, apiKey: string): Promise<Readonly<Record<string, unknown>>> {
    const response = await this.get(url, apiKey, 'application/json');
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength;
        if (size > this.maxBytes) throw new PayloadTooLargeError('Stored message too large');
        chunks.push(chunk);
      }
    } catch (error) {
      await response.body?.cancel().catch(() => undefined);
      if (error instanceof PayloadTooLargeError) throw error;
      throw new DependencyError(DEPENDENCY, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      throw new DependencyError(DEPENDENCY, { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new DependencyError(DEPENDENCY, { cause: new Error('Stored message is not a JSON object') });
    }
    return parsed as Record<string, unknown>;
  }

  async storeAttachments(
    refs: readonly MailgunStoredAttachmentRef[],
    keys: readonly string[],
    apiKey: string,
    apiHost?: MailgunApiHost,
  ): Promise<StoredAttachment[]> {
    if (keys.length !== refs.length) throw new Error('One key per attachment');
    // All URLs first: a notification with one bad URL fetches nothing at all.
    for (const ref of refs) this.assertAllowed(ref.url, apiHost, 'attachment');
    return dependencyCall(DEPENDENCY, () => this.fetchAndStore(refs, keys, apiKey));
  }

  private async fetchAndStore(
    refs: readonly MailgunStoredAttachmentRef[],
    keys: readonly string[],
    apiKey: string,
  ): Promise<StoredAttachment[]> {
    const declaredTotal = refs.reduce((sum, ref) => sum + (Number.isFinite(ref.size) ? ref.size : 0), 0);
    if (declaredTotal > this.maxBytes) throw new PayloadTooLargeError('Stored message too large');
    const stored: StoredAttachment[] = [];
    let used = 0;
    for (const [index, ref] of refs.entries()) {
      const response = await this.get(ref.url, apiKey, '*/*');
      const type = contentType(ref.contentType);
      const result = await this.options.store
        .put({
          key: keys[index] as string,
          contentType: type,
          body: response.body ?? (async function* () {})(),
          maxBytes: this.maxBytes - used,
        })
        .finally(() => response.body?.cancel().catch(() => undefined));
      used += result.size;
      stored.push({ filename: ref.name, content_type: type, ...result });
    }
    return stored;
  }
}
