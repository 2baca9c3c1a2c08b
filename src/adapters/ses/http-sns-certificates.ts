import type { SnsCertificates } from '../../app/ports.js';
import { dependencyCall } from '../dependency-call.js';
import { boundedGet, SnsFetchError } from './bounded-fetch.js';

export interface SnsCertificateOptions {
  /** Per fetch; the webhook's deadline applies too. */
  readonly timeoutMs?: number;
  /** SNS certificates are ~2 KB of PEM. */
  readonly maxBytes?: number;
  /** SNS rotates its certificate rarely and under a new URL, so entries never go stale; the cap bounds memory. */
  readonly maxEntries?: number;
}

const PEM = /^\s*-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;

/**
 * Fetches SNS signing certificates over HTTP(S) and caches them by URL for the life of the runtime. Concurrent
 * requests for one URL share one fetch; a failed fetch is not cached, so the next delivery tries again.
 * Callers pass only URLs that passed `allowedSnsUrl`; this is the only network call made before verification.
 */
export class HttpSnsCertificates implements SnsCertificates {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly options: SnsCertificateOptions = {}) {}

  get(certificateUrl: string): Promise<string> {
    const cached = this.cache.get(certificateUrl);
    if (cached) return cached;
    const pending = this.fetch(certificateUrl);
    const maxEntries = this.options.maxEntries ?? 16;
    if (this.cache.size >= maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(certificateUrl, pending);
    pending.catch(() => {
      if (this.cache.get(certificateUrl) === pending) this.cache.delete(certificateUrl);
    });
    return pending;
  }

  private fetch(certificateUrl: string): Promise<string> {
    // Transient whatever went wrong (a 503, so SNS retries); the SnsFetchError says why, as the cause.
    return dependencyCall(
      'sns-certificate',
      async () => {
        const body = await boundedGet(certificateUrl, {
          timeoutMs: this.options.timeoutMs ?? 2_000,
          maxBytes: this.options.maxBytes ?? 16 * 1024,
        });
        const text = body.toString('utf8');
        if (!PEM.test(text)) throw new SnsFetchError('SNS certificate is not a PEM certificate');
        return text;
      },
      () => undefined,
    );
  }
}
