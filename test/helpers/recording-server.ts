import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a recording server saw: its path and whether (and with what) it was authorised. */
interface Hit {
  readonly path: string;
  readonly authorization?: string;
}

export interface RecordingServer {
  readonly server: Server;
  readonly url: string;
  readonly hits: Hit[];
  close(): Promise<void>;
}

/**
 * An HTTP server on a free port of `host` that records every request (path, Authorization) before `handle` may
 * answer it; what `handle` leaves unanswered gets 200 "stolen", the loot a credential-leak test must never see
 * requested. Bind a second loopback address (127.0.0.2) to stand for "another host".
 */
export async function startRecordingServer(
  host: string,
  handle: (path: string, req: IncomingMessage, res: ServerResponse) => boolean = () => false,
): Promise<RecordingServer> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    hits.push({
      path: req.url ?? '',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    if (!handle(req.url ?? '', req, res)) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end('stolen');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return {
    server,
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    hits,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
