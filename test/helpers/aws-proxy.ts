import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode =
  | { kind: 'pass' }
  | { kind: 'fail' }
  | { kind: 'hang' }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
  /** Forwards the call (it takes effect upstream), then drops the connection: the caller never learns the outcome. */
  | { kind: 'drop-response' }
  /**
   * Holds the call until the test calls `forwardDeferred()`, then forwards it: a write that lands after its caller
   * has given up, in an order the test decides rather than one a timer races.
   */
  | { kind: 'defer' };

/** One call as the proxy saw it, for `faultFilter`. */
export interface ProxiedCall {
  readonly operation: string;
  readonly body: string;
}

/**
 * An HTTP proxy in front of an emulator: counts AWS operations by `X-Amz-Target` (what the bench calls "counted at
 * the emulators") and injects faults (5xx, hang, dropped connection, latency) for reliability tests.
 */
export class AwsProxy {
  readonly calls: string[] = [];
  mode: ProxyMode = { kind: 'pass' };
  /** When set, `mode` applies only to the calls it accepts; every other call passes through. */
  faultFilter: ((call: ProxiedCall) => boolean) | undefined;
  private server: Server | undefined;
  private readonly heldResponses = new Set<ServerResponse>();
  private readonly deferred: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waiters: { operation: string; resolve: () => void }[] = [];
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = createServer((req, res) => this.handle(req, res, target));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  count(operation?: string): number {
    return operation ? this.calls.filter((c) => c === operation).length : this.calls.length;
  }

  reset(): void {
    this.calls.length = 0;
  }

  /** Resolves when the next call of `operation` reaches the proxy (whatever the mode then does with it). */
  nextCall(operation: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ operation, resolve }));
  }

  /** Calls forwarded (or being delayed) whose upstream answer has not come back yet. */
  get pending(): number {
    return this.inFlight.size;
  }

  /**
   * Resolves once every call forwarded so far (delayed ones included) has been answered upstream: its effect has
   * landed in the emulator, whatever became of the caller. Tests wait on this instead of sleeping.
   */
  async landed(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private handle(req: IncomingMessage, res: ServerResponse, target: URL): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation =
        String(req.headers['x-amz-target'] ?? 'unknown')
          .split('.')
          .pop() ?? 'unknown';
      this.calls.push(operation);
      for (const waiter of this.waiters.filter((w) => w.operation === operation)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const body = Buffer.concat(chunks);
      const mode: ProxyMode =
        this.faultFilter && !this.faultFilter({ operation, body: body.toString('utf8') })
          ? { kind: 'pass' }
          : this.mode;
      if (mode.kind === 'fail') {
        res.writeHead(500, { 'Content-Type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: 'injected',
          }),
        );
        return;
      }
      if (mode.kind === 'hang') {
        this.heldResponses.add(res);
        return;
      }
      if (mode.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      const track = () => {
        let markLanded = () => {};
        const landing = new Promise<void>((resolve) => {
          markLanded = resolve;
        }).finally(() => this.inFlight.delete(landing));
        this.inFlight.add(landing);
        return markLanded;
      };
      const forward = (markLanded: () => void) => {
        const upstream = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (up) => {
            up.on('end', markLanded);
            up.on('error', markLanded);
            if (mode.kind === 'drop-response') {
              up.resume();
              up.on('end', () => req.socket.destroy());
              return;
            }
            if (mode.kind === 'defer') {
              up.resume();
              return;
            }
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', () => {
          markLanded();
          res.destroy();
        });
        upstream.end(body);
      };
      if (mode.kind === 'defer') {
        this.deferred.push(() => forward(track()));
        return;
      }
      const markLanded = track();
      if (mode.kind === 'delay') setTimeout(() => forward(markLanded), mode.ms);
      else forward(markLanded);
    });
  }

  /** Forwards every call the `defer` mode holds (await `landed()` for their effect); returns how many there were. */
  forwardDeferred(): number {
    const calls = this.deferred.splice(0);
    for (const call of calls) call();
    return calls.length;
  }

  /** Calls held unanswered by the `hang` mode right now. */
  get held(): number {
    return this.heldResponses.size;
  }

  releaseHeld(): void {
    for (const res of this.heldResponses) res.destroy();
    this.heldResponses.clear();
  }

  async stop(): Promise<void> {
    this.releaseHeld();
    this.deferred.length = 0;
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}
