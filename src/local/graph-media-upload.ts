import type { IncomingMessage } from 'node:http';
import { constantTimeEqual } from '../domain/constant-time-equal.js';
import type { GraphMediaFile } from './graph-api-stand-in.js';

/** Any `access_token` of the local secrets file (re-read each time, so editing the file rotates it). */
export function accessTokensOf(readSecrets: () => Record<string, { access_token?: unknown }>) {
  return (token: string): boolean =>
    Object.values(readSecrets()).some(
      (secret) => typeof secret?.access_token === 'string' && constantTimeEqual(secret.access_token, token),
    );
}

/** The file part of a media upload (`POST /<phone_number_id>/media`, multipart, as Meta's API takes it). */
export async function uploadFromForm(
  req: IncomingMessage,
  body: Buffer,
): Promise<GraphMediaFile | undefined> {
  const { default: busboy } = await import('busboy');
  return new Promise((resolve, reject) => {
    let file: GraphMediaFile | undefined;
    const parser = busboy({
      headers: req.headers,
      limits: { files: 1, fields: 10 },
      defParamCharset: 'utf8',
    });
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        file = {
          data: Buffer.concat(chunks),
          mimeType: info.mimeType,
          ...(info.filename ? { filename: info.filename } : {}),
        };
      });
    });
    parser.on('error', reject);
    parser.on('close', () => resolve(file));
    parser.end(body);
  });
}
