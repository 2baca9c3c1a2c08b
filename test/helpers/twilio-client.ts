import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { twilioSignature } from '../fixtures/twilio-webhooks.js';
import { connectRaw, exchangeRaw, rawRequest } from './raw-http.js';

/** Retry policy values of the `rp` connection override. */
type RetryCondition = '4xx' | '5xx' | 'ct' | 'rt' | 'all';

export interface ConnectionOverrides {
  /** Read timeout per attempt, ms. */
  readonly rt: number;
  /** Total time for one URL, retries included, ms. */
  readonly tt: number;
  /** Retries after the first attempt. */
  readonly rc: number;
  readonly rp: readonly RetryCondition[];
}

/** Twilio's defaults (facts-twilio.md): one retry, on connection failures only (`rp` default unverified). */
const TWILIO_DEFAULTS: ConnectionOverrides = { rt: 15_000, tt: 15_000, rc: 1, rp: ['ct'] };

/** `https://host/path#rc=5&rp=all` → the URL Twilio calls and signs (no fragment) and its overrides. */
function parseWebhookUrl(configured: string): { url: string; overrides: ConnectionOverrides } {
  const hash = configured.indexOf('#');
  if (hash === -1) return { url: configured, overrides: TWILIO_DEFAULTS };
  const fragment = new URLSearchParams(configured.slice(hash + 1));
  const number = (name: string, fallback: number) => {
    const value = fragment.get(name);
    return value === null ? fallback : Number(value);
  };
  const rp = fragment.get('rp');
  return {
    url: configured.slice(0, hash),
    overrides: {
      rt: number('rt', TWILIO_DEFAULTS.rt),
      tt: number('tt', TWILIO_DEFAULTS.tt),
      rc: number('rc', TWILIO_DEFAULTS.rc),
      rp: rp === null ? TWILIO_DEFAULTS.rp : (rp.split(',') as RetryCondition[]),
    },
  };
}

export interface AttemptRecord {
  readonly url: string;
  readonly status: number | 'timeout' | 'connect-error';
  readonly durationMs: number;
}

export interface DeliveryResult {
  readonly delivered: boolean;
  readonly via?: 'primary' | 'fallback';
  readonly attempts: readonly AttemptRecord[];
}

export interface TwilioLikeClientOptions {
  readonly authToken: string;
  /** The configured webhook URL, connection overrides in the fragment. */
  readonly webhookUrl: string;
  /** The configured Fallback URL (called once the webhook URL has failed), overrides in its own fragment. */
  readonly fallbackUrl?: string;
  /**
   * Time from a failed answer to the next attempt. Twilio does not back off, not even on 429, so this models only
   * the network: opening a new connection and sending the request from Twilio to the API.
   */
  readonly attemptGapMs: number;
  /**
   * Awaited before each retry and before the Fallback URL call (after the gap): reliability tests wait on an event
   * here (e.g. `othersAnswered`) with a zero gap, instead of a fixed pause.
   */
  readonly beforeRetry?: () => Promise<void>;
}

/** Attempts of every client in this process still waiting for their answer. */
const inFlight = new Set<Promise<unknown>>();

/** Resolves once every attempt in flight right now (any client) has had its answer: e.g. the claim holder's. */
export async function othersAnswered(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

function condition(status: AttemptRecord['status']): RetryCondition {
  if (status === 'timeout') return 'rt';
  if (status === 'connect-error') return 'ct';
  return status >= 500 ? '5xx' : '4xx';
}

/**
 * Delivers webhooks the way Twilio does: the form signed over the URL without its fragment, retries as the `rc`/`rp`
 * overrides allow (no backoff), then the Fallback URL with `ErrorCode` and `ErrorUrl` added.
 */
export class TwilioLikeClient {
  constructor(private readonly options: TwilioLikeClientOptions) {}

  /**
   * Delivers every form at once, the way a traffic spike reaches the API: all connections are opened first, then
   * every first request is written in one go, so they arrive together whatever else this process is busy with.
   */
  async spike(forms: readonly Readonly<Record<string, string>>[]): Promise<DeliveryResult[]> {
    const { url } = parseWebhookUrl(this.options.webhookUrl);
    const sockets = await Promise.all(forms.map(() => connectRaw(Number(new URL(url).port))));
    const firsts = forms.map((form, i) => this.attempt(url, form, 15_000, sockets[i]));
    return Promise.all(forms.map((form, i) => this.deliver(form, firsts[i])));
  }

  async deliver(
    params: Readonly<Record<string, string>>,
    firstAttempt?: Promise<AttemptRecord['status']>,
  ): Promise<DeliveryResult> {
    const attempts: AttemptRecord[] = [];
    const primary = parseWebhookUrl(this.options.webhookUrl);
    if (await this.callUrl(primary, params, attempts, firstAttempt)) {
      return { delivered: true, via: 'primary', attempts };
    }
    if (!this.options.fallbackUrl) return { delivered: false, attempts };
    const fallback = parseWebhookUrl(this.options.fallbackUrl);
    await this.pause();
    const withError = { ...params, ErrorCode: '11200', ErrorUrl: primary.url };
    if (await this.callUrl(fallback, withError, attempts))
      return { delivered: true, via: 'fallback', attempts };
    return { delivered: false, attempts };
  }

  private async callUrl(
    target: { url: string; overrides: ConnectionOverrides },
    params: Readonly<Record<string, string>>,
    attempts: AttemptRecord[],
    firstAttempt?: Promise<AttemptRecord['status']>,
  ): Promise<boolean> {
    const { url, overrides } = target;
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      const left = overrides.tt - (performance.now() - started);
      const status =
        attempt === 0 && firstAttempt
          ? await firstAttempt
          : await this.attempt(url, params, Math.min(overrides.rt, left));
      attempts.push({ url, status, durationMs: performance.now() - started });
      if (typeof status === 'number' && status >= 200 && status < 300) return true;
      const retryable = overrides.rp.includes('all') || overrides.rp.includes(condition(status));
      const elapsed = performance.now() - started + this.options.attemptGapMs;
      if (attempt >= overrides.rc || !retryable || elapsed >= overrides.tt) return false;
      await this.pause();
    }
  }

  private async pause(): Promise<void> {
    if (this.options.attemptGapMs > 0) await sleep(this.options.attemptGapMs);
    await this.options.beforeRetry?.();
  }

  /** One attempt on a new connection (Twilio does not reuse one across retries), signed over the URL it calls. */
  private attempt(
    url: string,
    params: Readonly<Record<string, string>>,
    timeoutMs: number,
    connected?: Socket,
  ): Promise<AttemptRecord['status']> {
    const pending = this.exchange(url, params, timeoutMs, connected);
    inFlight.add(pending);
    return pending.finally(() => inFlight.delete(pending));
  }

  private async exchange(
    url: string,
    params: Readonly<Record<string, string>>,
    timeoutMs: number,
    connected?: Socket,
  ): Promise<AttemptRecord['status']> {
    const target = new URL(url);
    const request = rawRequest({
      method: 'POST',
      target: `${target.pathname}${target.search}`,
      headers: [
        ['Host', target.host],
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['X-Twilio-Signature', twilioSignature(this.options.authToken, url, { ...params })],
        ['User-Agent', 'TwilioProxy/1.1'],
      ],
      body: new URLSearchParams({ ...params }).toString(),
    });
    let socket: Socket;
    try {
      socket = connected ?? (await connectRaw(Number(target.port)));
    } catch {
      return 'connect-error';
    }
    try {
      const response = await exchangeRaw(socket, request, Math.max(1, Math.floor(timeoutMs)));
      return response.status === 0 ? 'connect-error' : response.status;
    } catch (error) {
      return String(error).includes('no answer within') ? 'timeout' : 'connect-error';
    }
  }
}
