import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  /** Sent as given (a `Host` header here wins over the URL's host, which replays rely on). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
  /** Time allowed to open the TCP (and TLS) connection. */
  readonly connectTimeoutMs?: number;
  /** Time allowed without a byte from the server once connected (first byte and between bytes, as Twilio's `rt`). */
  readonly readTimeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly durationMs: number;
}

export type HttpFailureKind = 'connect-timeout' | 'read-timeout' | 'connect-error' | 'connection-lost';

/** The request never produced a complete response; `kind` is what a retry policy (Twilio's `ct`/`rt`) keys on. */
export class HttpFailure extends Error {
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
    readonly code?: string,
    readonly durationMs = 0,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * One HTTP exchange on a fresh connection (no agent: a webhook provider opens its own connection per attempt, and
 * no pooled socket may keep the CLI or a test alive). Separates connect from read timeouts, which fetch cannot.
 */
export function sendHttp(input: HttpRequest): Promise<HttpResponse> {
  const url = new URL(input.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = {};
  for (const [name, value] of input.headers ?? []) headers[name] = value;
  if (input.body) headers['Content-Length'] = String(input.body.length);
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (failure: HttpFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      req.destroy();
      reject(failure);
    };
    const req = send(url, { method: input.method ?? 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => fail(new HttpFailure('connection-lost', 'connection lost mid-response')));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          durationMs: elapsed(),
        });
      });
    });
    const connectTimeoutMs = input.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const connectTimer = setTimeout(
      () => fail(new HttpFailure('connect-timeout', `no connection within ${connectTimeoutMs} ms`)),
      connectTimeoutMs,
    );
    req.on('socket', (socket) => {
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    // Applied by node once the socket is connected, so it measures silence from the server, not connecting.
    const readTimeoutMs = input.readTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    req.setTimeout(readTimeoutMs, () =>
      fail(new HttpFailure('read-timeout', `no response within ${readTimeoutMs} ms`, undefined, elapsed())),
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const connected = req.socket?.remoteAddress !== undefined && !req.socket.connecting;
      const kind = connected ? 'connection-lost' : 'connect-error';
      fail(new HttpFailure(kind, error.message, error.code, elapsed()));
    });
    req.end(input.body);
  });
}
