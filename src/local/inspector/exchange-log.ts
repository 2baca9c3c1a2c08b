import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { OutcomeObserver, WebhookOutcome } from '../../http/observed-outcome.js';
import type { GatewayExchange } from '../gateway.js';
import { parseRequestForm, type RequestForm } from './request-form.js';

/** How a recorded request was produced by the inspector (absent: it came from outside). */
export type ReplayMode = 'original' | 're-signed' | 'original-signature';

export interface RecordedExchange {
  /** API Gateway's request id (`requestContext.requestId`), also the `x-amzn-RequestId` response header. */
  readonly id: string;
  readonly at: string;
  /** The REST event without its body (kept once, as bytes, in `body`). */
  readonly event: APIGatewayProxyEvent;
  /** Headers as the sender sent them (the gateway's own `X-Forwarded-*` left out), for replays. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  readonly form: Promise<RequestForm>;
  readonly status: number;
  readonly responseBody: string;
  readonly durationMs: number;
  outcome?: WebhookOutcome;
  replayOf?: string;
  replayMode?: ReplayMode;
}

const GATEWAY_ADDED = /^x-forwarded-(proto|for)$/i;

function senderHeaders(event: APIGatewayProxyEvent): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (GATEWAY_ADDED.test(name)) continue;
    for (const value of values ?? []) pairs.push([name, value]);
  }
  return pairs;
}

/**
 * The last `capacity` webhooks the local gateway handled, each joined with the outcome the application reported
 * for it. The observer fires inside the handler, before the exchange completes, so outcomes wait in `pending`.
 */
export class ExchangeLog {
  private readonly entries: RecordedExchange[] = [];
  private readonly pending = new Map<string, WebhookOutcome>();
  private bytes = 0;
  /** Bumped on every change: pollers compare it instead of diffing lists. */
  version = 0;

  /**
   * @param capacity exchanges kept
   * @param maxBytes body bytes kept: a few 5 MB emails must not grow the local stack to gigabytes
   */
  constructor(
    readonly capacity = 200,
    readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  readonly observe: OutcomeObserver = (requestId, outcome) => {
    const entry = this.get(requestId);
    if (entry) entry.outcome = outcome;
    else {
      this.pending.set(requestId, outcome);
      // Outcomes of requests that never complete (a crashed handler) must not pile up.
      if (this.pending.size > this.capacity) this.pending.delete(this.pending.keys().next().value as string);
    }
    this.version++;
  };

  readonly record = (exchange: GatewayExchange): void => {
    const { event, result } = exchange;
    const id = event.requestContext.requestId;
    const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    const headers = senderHeaders(event);
    const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
    const outcome: WebhookOutcome | undefined = exchange.refusedBy
      ? { verdict: 'rejected', status: result.statusCode, code: exchange.refusedBy, reason: 'api-gateway' }
      : this.pending.get(id);
    this.pending.delete(id);
    this.entries.push({
      id,
      at: new Date(event.requestContext.requestTimeEpoch).toISOString(),
      event: { ...event, body: null },
      headers,
      body,
      form: parseRequestForm(contentType, body),
      status: result.statusCode,
      responseBody: result.isBase64Encoded ? '(binary)' : result.body,
      durationMs: exchange.durationMs,
      ...(outcome ? { outcome } : {}),
    });
    this.bytes += body.length;
    while (this.entries.length > 1 && (this.entries.length > this.capacity || this.bytes > this.maxBytes))
      this.bytes -= this.entries.shift()?.body.length ?? 0;
    this.version++;
  };

  /** Newest first. */
  list(): readonly RecordedExchange[] {
    return [...this.entries].reverse();
  }

  get(id: string): RecordedExchange | undefined {
    return this.entries.find((entry) => entry.id === id);
  }

  markReplay(id: string, of: string, mode: ReplayMode): void {
    const entry = this.get(id);
    if (!entry) return;
    entry.replayOf = of;
    entry.replayMode = mode;
    this.version++;
  }
}
