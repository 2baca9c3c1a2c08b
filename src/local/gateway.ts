import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { WebhookHandler } from '../http/create-handler.js';
import { buildRestEvent } from '../kit/rest-event-builder.js';
import {
  CORS,
  GATEWAY_MAX_BODY_BYTES,
  GATEWAY_RESPONSES,
  MAILGUN_MAX_MESSAGE_BYTES,
  ROUTES,
  routeMethods,
} from '../resources.js';
import { type HostPolicy, localRouteRefusal, trustedHost } from './host-guard.js';
import type { Outbox } from './outbox.js';
import { TokenBucket } from './rate-limiter.js';

export interface GatewayExchange {
  readonly event: APIGatewayProxyEvent;
  readonly result: APIGatewayProxyResult;
  readonly durationMs: number;
  /** Set when API Gateway itself answered (throttle, quota, validator) and the handler never ran. */
  readonly refusedBy?: 'THROTTLED' | 'QUOTA_EXCEEDED' | 'BAD_REQUEST_PARAMETERS';
}

export type LocalRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
) => Promise<boolean>;

export interface GatewayOptions {
  readonly handler: WebhookHandler;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly corsAllowOrigin: string;
  readonly outbox?: Outbox;
  /** Extra `/_local/…` routes (inspector, tooling); never part of the deployed API. */
  readonly localRoutes?: LocalRoute;
  readonly onExchange?: (exchange: GatewayExchange) => void;
  /** Which `Host` values are the stack's own (loopback names, the bound host, `WEBHOOK_BASE_URL`'s host). */
  readonly hosts?: HostPolicy;
}

/** Local-only routes take small JSON bodies; nothing there needs API Gateway's 10 MB. */
const LOCAL_ROUTE_MAX_BODY_BYTES = 1024 * 1024;

const ERROR_TYPES: Record<number, string> = {
  400: 'BadRequestException',
  403: 'MissingAuthenticationTokenException',
  413: 'RequestTooLargeException',
  429: 'TooManyRequestsException',
  502: 'InternalServerErrorException',
};

function gatewayAnswer(
  res: ServerResponse,
  status: number,
  message: string,
  cors: string,
  errorType?: string,
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Access-Control-Allow-Origin': cors,
    'x-amzn-ErrorType': errorType ?? ERROR_TYPES[status] ?? 'Exception',
  });
  res.end(JSON.stringify({ message }));
}

/** The whole body, or undefined once it passes `limit` (the rest is drained unbuffered). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Answers without reading the body: what is not buffered cannot cost memory. */
function discard(req: IncomingMessage, answer: () => void): void {
  req.resume();
  answer();
}

function localAnswer(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ message }));
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

/**
 * Local API Gateway (REST) emulation: the deployed API's routes, required-header validator, stage throttle, CORS
 * preflight and its own error answers (the monthly quota is the handler's, on verified webhooks only, as on AWS); everything else is a real REST v1 proxy event handed to the
 * same handler the Lambda exports.
 */
export function createGateway(options: GatewayOptions): Server {
  return serveGateway(gatewayServer(), options);
}

/**
 * A server for the gateway with nothing attached yet: bind it first (its port goes into the handler's config),
 * then `serveGateway` it with the handler built from that config. Connections made in between wait.
 */
export function gatewayServer(): Server {
  // Host is still required (in `serve`), but answered in the gateway's JSON shape rather than Node's empty 400.
  return createServer({ requireHostHeader: false });
}

export function serveGateway(server: Server, options: GatewayOptions): Server {
  const bucket = new TokenBucket(options.throttleRateLimit, options.throttleBurstLimit);
  const cors = options.corsAllowOrigin;

  const hosts = options.hosts ?? {};

  /** Routed before any byte of the body is read; each route's limit applies while reading. */
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!req.headers.host) return discard(req, () => gatewayAnswer(res, 400, 'Bad Request', cors));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://gateway.local');
    } catch {
      return discard(req, () => gatewayAnswer(res, 400, 'Bad Request', cors));
    }
    if (url.pathname.startsWith('/_local/')) {
      const refusal = localRouteRefusal(req, hosts);
      if (refusal) return discard(req, () => localAnswer(res, 403, refusal));
      // A message handed to the local Mailgun storage (`send email --store-notify`) may be as large as Mailgun's.
      const storing = url.pathname.startsWith('/_local/mailgun/v3/domains/') && req.method === 'POST';
      const body = await readBody(req, storing ? 2 * MAILGUN_MAX_MESSAGE_BYTES : LOCAL_ROUTE_MAX_BODY_BYTES);
      if (!body) return localAnswer(res, 413, 'Request Entity Too Large');
      const outboxPath = url.pathname.replace(/^\/_local\/(twilio|mailgun)/, '');
      if (outboxPath !== url.pathname && options.outbox?.handle(outboxPath, req, res, body)) return;
      if (await options.localRoutes?.(req, res, url, body)) return;
      return localAnswer(res, 404, 'Not found');
    }
    const route = ROUTES.find((r) => r.path === url.pathname);
    const { missingAuthenticationToken, throttled, badRequestParameters } = GATEWAY_RESPONSES;
    const proxied = route && (routeMethods(route) as readonly string[]).includes(req.method ?? '');
    if (!route || (!proxied && req.method !== 'OPTIONS')) {
      return discard(req, () =>
        gatewayAnswer(res, missingAuthenticationToken.statusCode, missingAuthenticationToken.message, cors),
      );
    }
    // Signatures are checked against the URL built from domainName: only the stack's own names may become it.
    const host = trustedHost(req, hosts);
    if (!host) return discard(req, () => gatewayAnswer(res, 400, 'Bad Request', cors));
    const body = await readBody(req, GATEWAY_MAX_BODY_BYTES);
    if (!body) return gatewayAnswer(res, 413, 'Request Entity Too Large', cors);
    // API Gateway replaces these with its own view of the connection.
    const headers = pairs(req.rawHeaders).filter(([name]) => !/^x-forwarded-(proto|port|for)$/i.test(name));
    headers.push(['X-Forwarded-Proto', 'http'], ['X-Forwarded-For', req.socket.remoteAddress ?? '127.0.0.1']);
    const event = buildRestEvent({
      method: req.method ?? 'POST',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      domainName: host,
    });
    /** A POST the gateway answers itself is still shown to local tooling (the inspector lists it). */
    const refuse = (
      refusedBy: NonNullable<GatewayExchange['refusedBy']>,
      status: number,
      message: string,
      errorType?: string,
    ) => {
      gatewayAnswer(res, status, message, cors, errorType);
      if (req.method !== 'POST') return;
      const result = { statusCode: status, body: JSON.stringify({ message }) };
      options.onExchange?.({ event, result, durationMs: 0, refusedBy });
    };
    if (!bucket.tryTake()) return refuse('THROTTLED', throttled.statusCode, throttled.message);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Origin': cors,
        'Access-Control-Allow-Methods': CORS.allowMethods.join(','),
        'Access-Control-Allow-Headers': CORS.allowHeaders.join(','),
        ...(cors === '*' ? {} : { Vary: 'Origin' }),
      });
      res.end();
      return;
    }
    // API Gateway's validator sits on the POST methods only (a GET subscription check carries no signature).
    const required = req.method === 'POST' ? route.requiredHeaders : [];
    const missing = required.filter((name) => !req.headers[name.toLowerCase()]);
    if (missing.length > 0) {
      return refuse(
        'BAD_REQUEST_PARAMETERS',
        badRequestParameters.statusCode,
        `${badRequestParameters.messagePrefix}[${missing.join(', ')}]`,
      );
    }
    const started = performance.now();
    let result: APIGatewayProxyResult;
    try {
      result = await options.handler(event);
    } catch {
      return gatewayAnswer(res, 502, 'Internal server error', cors);
    }
    options.onExchange?.({ event, result, durationMs: performance.now() - started });
    const responseHeaders: Record<string, string> = { 'x-amzn-RequestId': event.requestContext.requestId };
    for (const [name, value] of Object.entries(result.headers ?? {})) responseHeaders[name] = String(value);
    res.writeHead(result.statusCode, responseHeaders);
    res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) gatewayAnswer(res, 502, 'Internal server error', cors);
      else res.destroy();
    });
  });
  // Requests Node's HTTP parser refuses (bad framing, oversized headers) never reach `serve`: answer them with the
  // same JSON error shape instead of Node's empty 400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
    const body = JSON.stringify({ message: reason });
    socket.end(
      `HTTP/1.1 ${tooLarge ? 431 : 400} ${reason}\r\nContent-Type: application/json\r\n` +
        `Access-Control-Allow-Origin: ${cors}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
