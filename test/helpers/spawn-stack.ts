import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A `LOCAL_BASE_PORT` whose five ports (base … base+4) are all free right now. */
export async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below Linux's ephemeral range (32768+): ports other tests get from listen(0), and outgoing connections, come
    // from there, and one could take a port of the five between this check and the spawned stack's listen.
    const base = 12_000 + Math.floor(Math.random() * 20_000);
    const free = await Promise.all([0, 1, 2, 3, 4].map((i) => isFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no five consecutive free ports');
}

export interface SpawnedStack {
  readonly process: ChildProcess;
  readonly output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Runs the `npm start` command (`tsx src/local/main.ts`, read from package.json) in a child process, and resolves
 * once it prints its `ready` line. npm itself is left out so the exit code seen is the stack's own.
 */
export async function spawnNpmStart(env: Record<string, string>, timeoutMs = 25_000): Promise<SpawnedStack> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [bin, ...args] = pkg.scripts.start.split(' ');
  const child = spawn(join(ROOT, 'node_modules', '.bin', bin ?? 'tsx'), args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGINT');
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ready line within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      if (/\bready\b/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { process: child, output: () => output, stop };
}

/** `npm start` with `env` (`spawnNpmStart`) while `use` runs; then stopped, and it must exit 0 (also if `use` threw). */
export async function whileNpmStartRuns<T>(
  env: Record<string, string>,
  use: (stack: SpawnedStack) => Promise<T> | T,
): Promise<T> {
  const stack = await spawnNpmStart(env);
  try {
    return await use(stack);
  } finally {
    expect(await stack.stop()).toBe(0);
  }
}
