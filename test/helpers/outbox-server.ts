import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Outbox } from '../../src/local/outbox.js';

/** A standalone HTTP server speaking the Twilio Messages API and Mailgun messages API shapes, recording requests. */
export async function startOutboxServer(): Promise<{ url: string; outbox: Outbox; stop(): Promise<void> }> {
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
