import {
  HttpFailure,
  type HttpFailureKind,
  type HttpRequest,
  type HttpResponse,
  sendHttp,
} from '../kit/http-request.js';
import type { SignedRequest } from '../kit/signed-request.js';
import type { DeliveryPolicy, RetryClass } from './connection-overrides.js';

type AttemptResult =
  | { readonly kind: 'response'; readonly status: number; readonly durationMs: number }
  | {
      readonly kind: 'failure';
      readonly failure: HttpFailureKind | 'out-of-time';
      readonly durationMs: number;
    };

interface Attempt {
  readonly target: 'primary' | 'fallback';
  readonly result: AttemptResult;
}

export interface DeliveryReport {
  /** accepted: the primary URL answered 2xx/3xx (maybe after retries); fallback: only the fallback URL did. */
  readonly outcome: 'accepted' | 'fallback' | 'lost';
  readonly attempts: readonly Attempt[];
  /** Attempts beyond the first on the primary URL. */
  readonly retries: number;
  readonly durationMs: number;
}

export interface DeliveryTarget {
  /** Signs the message for this URL (the signature covers the URL, so the fallback gets its own). */
  readonly request: SignedRequest;
  readonly policy: DeliveryPolicy;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

function outOfTime(result: AttemptResult): boolean {
  return result.kind === 'failure' && result.failure === 'out-of-time';
}

function isAccepted(result: AttemptResult): boolean {
  return result.kind === 'response' && result.status >= 200 && result.status < 400;
}

/** Which retry-policy class a failed attempt falls in. */
function retryClass(result: AttemptResult): RetryClass | undefined {
  if (result.kind === 'response')
    return result.status >= 500 ? '5xx' : result.status >= 400 ? '4xx' : undefined;
  if (result.failure === 'connect-error' || result.failure === 'connect-timeout') return 'ct';
  if (result.failure === 'read-timeout' || result.failure === 'connection-lost') return 'rt';
  return undefined;
}

async function attempt(
  transport: Transport,
  request: SignedRequest,
  connectTimeoutMs: number,
  readTimeoutMs: number,
): Promise<AttemptResult> {
  const started = performance.now();
  try {
    const response = await transport({ ...request, connectTimeoutMs, readTimeoutMs });
    return { kind: 'response', status: response.status, durationMs: response.durationMs };
  } catch (error) {
    const failure = error instanceof HttpFailure ? error.kind : 'connect-error';
    return { kind: 'failure', failure, durationMs: performance.now() - started };
  }
}

async function deliverTo(
  target: DeliveryTarget,
  label: Attempt['target'],
  attempts: Attempt[],
  transport: Transport,
): Promise<boolean> {
  const { policy } = target;
  const deadline = performance.now() + policy.totalTimeMs;
  for (let index = 0; index <= policy.retryCount; index++) {
    const remaining = Math.floor(deadline - performance.now());
    if (remaining <= 0) {
      attempts.push({ target: label, result: { kind: 'failure', failure: 'out-of-time', durationMs: 0 } });
      return false;
    }
    const result = await attempt(
      transport,
      target.request,
      Math.min(policy.connectTimeoutMs, remaining),
      Math.min(policy.readTimeoutMs, remaining),
    );
    attempts.push({ target: label, result });
    if (isAccepted(result)) return true;
    const kind = retryClass(result);
    if (!kind || !policy.retryPolicy.has(kind)) return false;
  }
  return false;
}

/**
 * One message delivered the way Twilio delivers a webhook: the same signed request (and idempotency token)
 * retried immediately per `rc`/`rp` within `tt`, then the fallback URL, with its own overrides, if all failed.
 */
export async function deliver(
  primary: DeliveryTarget,
  fallback: DeliveryTarget | undefined,
  transport: Transport = sendHttp,
): Promise<DeliveryReport> {
  const started = performance.now();
  const attempts: Attempt[] = [];
  const finish = (outcome: DeliveryReport['outcome']): DeliveryReport => ({
    outcome,
    attempts,
    retries: Math.max(0, attempts.filter((a) => a.target === 'primary' && !outOfTime(a.result)).length - 1),
    durationMs: performance.now() - started,
  });
  if (await deliverTo(primary, 'primary', attempts, transport)) return finish('accepted');
  if (fallback && (await deliverTo(fallback, 'fallback', attempts, transport))) return finish('fallback');
  return finish('lost');
}
