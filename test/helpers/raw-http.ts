import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly durationMs: number;
}

function parse(raw: Buffer, durationMs: number): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end === -1 ? raw.length : end).toString('latin1');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = end === -1 ? Buffer.alloc(0) : raw.subarray(end + 4);
  if (headers['transfer-encoding']?.includes('chunked')) body = dechunk(body);
  else if (headers['content-length'] !== undefined)
    body = body.subarray(0, Number(headers['content-length']));
  return { status, headers, body: body.toString('utf8'), durationMs };
}

function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** A connected TCP socket to the local gateway (connect first, write later: spikes arrive all at once). */
export function connectRaw(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Writes `request` to `socket` at once (synchronously, before this returns) and reads the first response; the
 * socket is closed afterwards. The request should carry `Connection: close`.
 */
export function exchangeRaw(socket: Socket, request: Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  const started = performance.now();
  const chunks: Buffer[] = [];
  const answer = new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks), performance.now() - started));
    };
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (complete(Buffer.concat(chunks))) done();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (error) => {
      // A reset after a complete answer is the server closing a connection it refused to read further.
      if (chunks.length > 0) done();
      else if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
    });
  });
  socket.write(request);
  return answer;
}

/**
 * Writes `request` to a fresh TCP connection byte for byte (no client-side validation, unlike fetch) and reads the
 * first response.
 */
export async function sendRaw(port: number, request: Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return exchangeRaw(await connectRaw(port), request, timeoutMs);
}

function complete(raw: Buffer): boolean {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return false;
  const head = raw.subarray(0, end).toString('latin1').toLowerCase();
  const length = /\r\ncontent-length:\s*(\d+)/.exec(head)?.[1];
  if (length !== undefined) return raw.length - end - 4 >= Number(length);
  if (head.includes('transfer-encoding: chunked')) return raw.subarray(end).includes('\r\n0\r\n\r\n');
  return false;
}

/** Serialises a request: the request line, each header as given, then the body (Content-Length added if absent). */
export function rawRequest(input: {
  method: string;
  target: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body?: Buffer | string;
  /** Leave Content-Length out (e.g. to send Transfer-Encoding instead). */
  omitContentLength?: boolean;
}): Buffer {
  const body =
    typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : (input.body ?? Buffer.alloc(0));
  const headers = [...input.headers];
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  if (!has('connection')) headers.push(['Connection', 'close']);
  if (!input.omitContentLength && !has('content-length') && !has('transfer-encoding')) {
    headers.push(['Content-Length', String(body.length)]);
  }
  const head = `${input.method} ${input.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
