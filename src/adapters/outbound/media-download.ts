import type { MediaDownload } from '../../app/ports.js';
import { DependencyError, PayloadTooLargeError } from '../../domain/errors.js';
import { DisallowedMediaUrlError } from '../../domain/provider-media-url.js';
import { dependencyCall } from '../dependency-call.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 3;

export interface MediaRequest {
  /** Already checked against the provider's allow-list by the caller. */
  readonly url: string;
  /** Headers for the first URL (its credentials). */
  readonly headers: Readonly<Record<string, string>>;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** The media budget and the webhook's deadline (the caller combines them). */
  readonly signal?: AbortSignal | undefined;
  /** Names the dependency in the `DependencyError` of a failure (`meta-graph`, `twilio-media`). */
  readonly dependency: string;
  /**
   * Where a redirect may lead, and the headers to send there (credentials only where they may go); undefined
   * refuses it (`DisallowedMediaUrlError`) before anything is sent to it.
   */
  readonly redirect: (url: string) => Readonly<Record<string, string>> | undefined;
}

function signalFor(timeoutMs: number, extra: AbortSignal | undefined): AbortSignal {
  const signals = [AbortSignal.timeout(timeoutMs), extra].filter(
    (signal): signal is AbortSignal => signal !== undefined,
  );
  return signals.length === 1 ? (signals[0] as AbortSignal) : AbortSignal.any(signals);
}

/** The media budget (`extra`) and the webhook's deadline together: whichever ends first aborts the download. */
export function withinDeadline(
  extra: AbortSignal | undefined,
  deadline: { current(): AbortSignal | undefined } | undefined,
): AbortSignal | undefined {
  const signals = [extra, deadline?.current()].filter((s): s is AbortSignal => s !== undefined);
  return signals.length <= 1 ? signals[0] : AbortSignal.any(signals);
}

/** Control characters or absurd lengths would end up in S3 metadata: fall back to a neutral type. */
function safeContentType(value: string | null | undefined): string {
  const type = value?.trim() ?? '';
  return type !== '' && type.length <= 255 && /^[\x20-\x7e]+$/.test(type) ? type : 'application/octet-stream';
}

async function* bounded(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  dependency: string,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw new DependencyError(dependency, { cause: error });
      }
      if (chunk.done) return;
      total += chunk.value.byteLength;
      if (total > maxBytes) throw new PayloadTooLargeError('Media too large');
      yield chunk.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * GET of one media body: redirects are followed by hand, at most three, each checked by `redirect` before it is
 * requested (fetch's own following would carry the request to any host); the size is checked on Content-Length
 * and again while streaming; every failure becomes a `DependencyError` naming the provider.
 */
export async function downloadMedia(request: MediaRequest): Promise<MediaDownload> {
  const signal = signalFor(request.timeoutMs, request.signal);
  let url = request.url;
  let headers = request.headers;
  for (let hop = 0; ; hop++) {
    const response = await dependencyCall(request.dependency, () =>
      fetch(url, { method: 'GET', headers, redirect: 'manual', signal }),
    );
    if (REDIRECTS.has(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      if (!location || hop >= MAX_REDIRECTS) {
        throw new DependencyError(request.dependency, { cause: new Error('Media redirect without end') });
      }
      let next: string;
      try {
        next = new URL(location, url).toString();
      } catch {
        throw new DisallowedMediaUrlError();
      }
      const nextHeaders = request.redirect(next);
      if (!nextHeaders) throw new DisallowedMediaUrlError();
      url = next;
      headers = nextHeaders;
      continue;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new DependencyError(request.dependency, {
        cause: new Error(`Media download answered ${response.status}`),
      });
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > request.maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new PayloadTooLargeError('Media too large');
    }
    const body = response.body;
    return {
      body: bounded(body, request.maxBytes, request.dependency),
      contentType: safeContentType(response.headers.get('content-type')),
      ...(Number.isFinite(declared) ? { declaredBytes: declared } : {}),
      cancel: () => body.cancel().catch(() => undefined),
    };
  }
}
