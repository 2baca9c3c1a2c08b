import * as z from 'zod/mini';
import type {
  GraphApi,
  GraphMediaInfo,
  GraphTextMessage,
  MediaDownload,
  MediaFetchOptions,
  RequestDeadline,
} from '../../app/ports.js';
import { DependencyError } from '../../domain/errors.js';
import { DisallowedMediaUrlError, isAllowedMetaMediaUrl } from '../../domain/provider-media-url.js';
import { dependencyCall } from '../dependency-call.js';
import { OutboundSendError, postWithOneRetry } from './http-outbound-sender.js';
import { downloadMedia, withinDeadline } from './media-download.js';

export interface HttpGraphApiOptions {
  /** META_GRAPH_API_BASE_URL, versioned (`https://graph.facebook.com/v26.0`); its origin may serve media too. */
  readonly graphApiBaseUrl: string;
  /** Per request, when no webhook deadline is shorter. */
  readonly timeoutMs?: number;
  /** The webhook's deadline, besides the per-request timeout. */
  readonly deadline?: RequestDeadline;
}

const DEPENDENCY = 'meta-graph';
/** The media endpoint answers a few hundred bytes of JSON; anything much larger is not it. */
const MAX_INFO_BYTES = 64 * 1024;
/** Media ids are decimal; anything else could add a path segment to the Graph URL. */
const MEDIA_ID = /^[A-Za-z0-9_.-]{1,256}$/;

const mediaInfoSchema = z.object({
  url: z.string().check(z.minLength(1), z.maxLength(4096)),
  mime_type: z._default(z.string().check(z.maxLength(255)), 'application/octet-stream'),
  sha256: z.optional(z.string().check(z.maxLength(128))),
  file_size: z.optional(z.union([z.number(), z.string().check(z.regex(/^\d{1,15}$/))])),
});

function signalFor(
  timeoutMs: number,
  deadline: RequestDeadline | undefined,
  extra?: AbortSignal,
): AbortSignal {
  const signals = [AbortSignal.timeout(timeoutMs), deadline?.current(), extra].filter(
    (signal): signal is AbortSignal => signal !== undefined,
  );
  return signals.length === 1 ? (signals[0] as AbortSignal) : AbortSignal.any(signals);
}

async function boundedText(response: Response, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new Error('Graph API answer too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Meta's Graph API over fetch, with a tenant's bearer token. The token goes only to the configured Graph origin
 * and Meta's media hosts: the media URL is checked before it is requested, and each redirect before it is
 * followed. Base URL from config so tests and the local stack aim at the stand-in.
 */
export class HttpGraphApi implements GraphApi {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly deadline: RequestDeadline | undefined;

  constructor(options: HttpGraphApiOptions) {
    this.base = options.graphApiBaseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.deadline = options.deadline;
  }

  async mediaInfo(
    mediaId: string,
    accessToken: string,
    options: { readonly phoneNumberId?: string; readonly signal?: AbortSignal } = {},
  ): Promise<GraphMediaInfo> {
    if (!MEDIA_ID.test(mediaId)) throw new DependencyError(DEPENDENCY, { cause: new Error('Bad media id') });
    const query = options.phoneNumberId
      ? `?phone_number_id=${encodeURIComponent(options.phoneNumberId)}`
      : '';
    return dependencyCall(DEPENDENCY, async () => {
      const response = await fetch(`${this.base}/${mediaId}${query}`, {
        headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
        redirect: 'error',
        signal: signalFor(this.timeoutMs, this.deadline, options.signal),
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new Error(`Graph API media answered ${response.status}`);
      }
      const parsed = z.safeParse(mediaInfoSchema, JSON.parse(await boundedText(response, MAX_INFO_BYTES)));
      if (!parsed.success) throw new Error('Graph API media answer has no url');
      const { url, mime_type, sha256, file_size } = parsed.data;
      return {
        url,
        mimeType: mime_type,
        ...(sha256 !== undefined ? { sha256 } : {}),
        ...(file_size !== undefined ? { fileSize: Number(file_size) } : {}),
      };
    });
  }

  downloadMedia(url: string, accessToken: string, options: MediaFetchOptions): Promise<MediaDownload> {
    if (!isAllowedMetaMediaUrl(url, this.base)) return Promise.reject(new DisallowedMediaUrlError());
    const headers = { Authorization: `Bearer ${accessToken}` };
    return downloadMedia({
      url,
      headers,
      maxBytes: options.maxBytes,
      timeoutMs: this.timeoutMs,
      signal: withinDeadline(options.signal, this.deadline),
      dependency: DEPENDENCY,
      redirect: (next) => (isAllowedMetaMediaUrl(next, this.base) ? headers : undefined),
    });
  }

  async sendText(message: GraphTextMessage, accessToken: string): Promise<void> {
    if (!/^\d{1,32}$/.test(message.phoneNumberId)) throw new OutboundSendError('Bad phone number id');
    const body = JSON.stringify({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: message.to,
      type: 'text',
      text: { preview_url: false, body: message.body },
    });
    await postWithOneRetry('Graph API', () =>
      fetch(`${this.base}/${message.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
        body,
        redirect: 'error',
        signal: signalFor(Math.min(this.timeoutMs, 3_000), this.deadline),
      }),
    );
  }
}
