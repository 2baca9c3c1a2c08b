import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach } from 'vitest';
import type { LocalStackOptions } from '../../src/local/local-stack.js';
import { Outbox } from '../../src/local/outbox.js';
import { useForFile } from './use-for-file.js';

/** A standalone HTTP server speaking the Twilio Messages API and Mailgun messages API shapes, recording requests. */
export interface OutboxServer {
  readonly url: string;
  readonly outbox: Outbox;
  stop(): Promise<void>;
}

async function startOutboxServer(): Promise<OutboxServer> {
  const outbox = new Outbox();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (!outbox.handle(path, req, res, Buffer.concat(chunks))) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    outbox,
    async stop() {
      outbox.releaseHanging();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * One outbox server per test file, started in `beforeAll` (register it before the stack that sends to it), emptied
 * and answering `ok` again before each test, stopped after all.
 */
export function useOutboxServer(): OutboxServer {
  const started = useForFile('the outbox server', startOutboxServer, (server) => server.stop());
  beforeEach(() => {
    started().outbox.clear();
    started().outbox.mode = 'ok';
  });
  return {
    get url() {
      return started().url;
    },
    get outbox() {
      return started().outbox;
    },
    stop: () => started().stop(),
  };
}

/** Where a stack sends its fallback replies: Twilio's and Mailgun's APIs both answered by `server`. */
export function providersAt(server: OutboxServer): Partial<LocalStackOptions> {
  return { twilioApiBaseUrl: server.url, mailgunApiBaseUrl: server.url };
}
