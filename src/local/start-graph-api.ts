import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { PROVIDER_MEDIA } from '../resources.js';
import { listen } from './emulators.js';
import { readBody } from './gateway.js';
import { GraphApiStandIn } from './graph-api-stand-in.js';
import { accessTokensOf } from './graph-media-upload.js';

export interface LocalGraphApi {
  readonly standIn: GraphApiStandIn;
  /** `http://<host>:<port>/v26.0`: what META_GRAPH_API_BASE_URL points at locally. */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/** Uploads may be as large as the media the gateway stores; everything else is a small JSON body. */
const MAX_UPLOAD_BYTES = PROVIDER_MEDIA.maxBytes + 1024 * 1024;
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The Graph API stand-in on its own port, so its host is not the gateway's (the media host allow-list is then
 * exercised for real). Bearer tokens: the `access_token`s of the secrets file.
 */
export async function startLocalGraphApi(options: {
  readonly host: string;
  readonly port?: number;
  readonly secretsFile: string;
}): Promise<LocalGraphApi> {
  const standIn = new GraphApiStandIn(
    accessTokensOf(() => JSON.parse(readFileSync(options.secretsFile, 'utf8'))),
  );
  const server: Server = createServer((req, res) => {
    const limit = req.url?.endsWith('/media') ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES;
    readBody(req, limit).then(
      (body) => {
        if (!body) {
          res.writeHead(413, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'Request too large', code: 100 } }));
        } else standIn.handle(req, res, body);
      },
      () => res.destroy(),
    );
  });
  const port = await listen(server, options.port ?? 0, options.host);
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  standIn.setOrigin(`http://${hostForUrl}:${port}`);
  return {
    standIn,
    baseUrl: standIn.baseUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
