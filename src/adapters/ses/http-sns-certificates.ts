import type { RequestDeadline, SnsCertificates } from '../../app/ports.js';
import { ForbiddenError } from '../../domain/errors.js';
import { dependencyCall } from '../dependency-call.js';
import { boundedGet, SnsFetchError } from './bounded-fetch.js';

export interface SnsCertificateOptions {
  /** The webhook's deadline, besides the per-fetch timeout. */
  readonly deadline?: RequestDeadline;
  /** Per fetch; the webhook's deadline applies too. */
  readonly timeoutMs?: number;
  /** SNS certificates are ~2 KB of PEM. */
  readonly maxBytes?: number;
  /** SNS rotates its certificate rarely and under a new URL, so entries never go stale; the cap bounds memory. */
  readonly maxEntries?: number;
  /** How long a failed fetch is remembered (and answered from memory) before the URL is fetched again. */
  readonly failureTtlMs?: number;
  readonly now?: () => number;
}

const PEM = /^\s*-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;
function namesNoCertificate(cause: SnsFetchError): ForbiddenError {
  return Object.assign(new ForbiddenError('signature'), { cause });
}

/** Long enough that forged deliveries naming one bad URL cost one fetch a minute; short enough for SNS's retries. */
const CERTIFICATE_FAILURE_TTL_MS = 60_000;

/**
 * Fetches SNS signing certificates over HTTP(S) and caches them by URL for the life of the runtime. Concurrent
 * requests for one URL share one fetch. A failed fetch is remembered for a minute (`failureTtlMs`): forged
 * deliveries naming an unfetchable path on an allowed host cannot make this function fetch on each request. When
 * the host answered without a certificate (4xx, redirect, not PEM, too large) no genuine SNS message names that URL:
 * `ForbiddenError('signature')` (403). Otherwise (no answer, timeout, 5xx) a transient `DependencyError` (503) so
 * SNS retries a genuine delivery.
 * Callers pass only URLs that passed `allowedSnsUrl`; this is the only network call made before verification.
 */
export class HttpSnsCertificates implements SnsCertificates {
  private readonly cache = new Map<string, Promise<string>>();
  private readonly failures = new Map<string, { readonly error: Error; readonly until: number }>();

  constructor(private readonly options: SnsCertificateOptions = {}) {}

  get(certificateUrl: string): Promise<string> {
    const now = this.options.now?.() ?? Date.now();
    const failed = this.failures.get(certificateUrl);
    if (failed && failed.until > now) return Promise.reject(failed.error);
    if (failed) this.failures.delete(certificateUrl);
    const cached = this.cache.get(certificateUrl);
    if (cached) return cached;
    const pending = this.fetch(certificateUrl);
    const maxEntries = this.options.maxEntries ?? 16;
    for (const map of [this.cache, this.failures] as Map<string, unknown>[]) {
      if (map.size >= maxEntries) {
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
      }
    }
    this.cache.set(certificateUrl, pending);
    pending.catch((error: Error) => {
      if (this.cache.get(certificateUrl) === pending) this.cache.delete(certificateUrl);
      const ttl = this.options.failureTtlMs ?? CERTIFICATE_FAILURE_TTL_MS;
      this.failures.set(certificateUrl, { error, until: (this.options.now?.() ?? Date.now()) + ttl });
    });
    return pending;
  }

  private fetch(certificateUrl: string): Promise<string> {
    // A host that answered without a certificate: forged (403, passes through `dependencyCall` as a WebhookError).
    // Anything else is transient (a 503, so SNS retries); the SnsFetchError says why, as the cause.
    return dependencyCall(
      'sns-certificate',
      async () => {
        let body: Buffer;
        try {
          body = await boundedGet(certificateUrl, {
            deadline: this.options.deadline?.current(),
            timeoutMs: this.options.timeoutMs ?? 2_000,
            maxBytes: this.options.maxBytes ?? 16 * 1024,
          });
        } catch (error) {
          if (error instanceof SnsFetchError && error.kind === 'answered') throw namesNoCertificate(error);
          throw error;
        }
        const text = body.toString('utf8');
        if (!PEM.test(text))
          throw namesNoCertificate(new SnsFetchError('SNS certificate is not a PEM certificate'));
        return text;
      },
      () => undefined,
    );
  }
}
