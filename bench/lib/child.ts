import { type ChildProcess, fork } from 'node:child_process';
import { REPO_ROOT } from '../../infra/paths.js';

/** Messages between a bench process and a child it started (`serveChild` below is the child's half). */
type ToChild = {
  readonly kind: 'call';
  readonly id: number;
  readonly command: string;
  readonly args: unknown;
};
type FromChild =
  | { readonly kind: 'ready'; readonly value: unknown }
  | { readonly kind: 'result'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

export interface Child<Ready> {
  readonly ready: Ready;
  readonly pid: number;
  call<T>(command: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export interface ChildOptions {
  readonly args?: unknown;
  readonly env?: Record<string, string>;
  /** Extra node flags (e.g. --expose-gc); a `.ts` entry also gets TypeScript support through tsx. */
  readonly nodeFlags?: readonly string[];
  readonly readyTimeoutMs?: number;
}

/**
 * Forks a bench process (a `.ts` file through tsx, or a bundled `.mjs` under bare node) and waits for its `ready`. Its stdout — JSON logs of the
 * code under test — is discarded; the last few KB of stderr are kept to explain a crash.
 */
export function startChild<Ready>(entry: string, options: ChildOptions = {}): Promise<Child<Ready>> {
  const child: ChildProcess = fork(entry, [JSON.stringify(options.args ?? null)], {
    cwd: REPO_ROOT,
    execArgv: [...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), ...(options.nodeFlags ?? [])],
    // The SDK's "Node < 22" notice would only clutter stderr: Lambda runs Node 22.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} not ready in time: ${stderr}`));
    }, options.readyTimeoutMs ?? 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const error = new Error(`${entry} exited (${code ?? signal}): ${stderr}`);
      failAll(error);
      reject(error);
    });
    child.on('message', (raw) => {
      const message = raw as FromChild;
      if (message.kind === 'ready') {
        clearTimeout(timer);
        resolve({
          ready: message.value as Ready,
          pid: child.pid ?? -1,
          call<T>(command: string, args?: unknown): Promise<T> {
            const id = nextId++;
            return new Promise<T>((resolveCall, rejectCall) => {
              pending.set(id, { resolve: (value) => resolveCall(value as T), reject: rejectCall });
              child.send({ kind: 'call', id, command, args } satisfies ToChild);
            });
          },
          stop: () => stopChild(child),
        });
        return;
      }
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.kind === 'result') call?.resolve(message.value);
      else call?.reject(new Error(message.message));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export type Handlers = Record<string, (args: unknown) => unknown | Promise<unknown>>;

/** The child's half: answers calls from the parent; exits when the parent goes away or sends SIGTERM. */
export function serveChild(ready: unknown, handlers: Handlers, stop: () => Promise<void>): void {
  const send = (message: FromChild) => process.send?.(message);
  const shutdown = () => {
    stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('disconnect', shutdown);
  process.on('message', (raw) => {
    const message = raw as ToChild;
    const handler = handlers[message.command];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${message.command}`);
        return handler(message.args);
      })
      .then(
        (value) => send({ kind: 'result', id: message.id, value }),
        (error: unknown) =>
          send({
            kind: 'error',
            id: message.id,
            message: error instanceof Error ? error.message : String(error),
          }),
      );
  });
  send({ kind: 'ready', value: ready });
}

/** The JSON argument `startChild` passed. */
export function childArgs<T>(): T {
  return JSON.parse(process.argv[2] ?? 'null') as T;
}
