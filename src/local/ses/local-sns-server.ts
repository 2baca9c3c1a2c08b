import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SnsEnvelope } from '../../domain/sns-envelope.js';
import { createSigningIdentity, type SigningIdentity } from './self-signed-certificate.js';
import { signSnsEnvelope, type UnsignedSnsEnvelope } from './sns-signer.js';

/**
 * The local stand-in for SNS's own endpoints: serves the local-only signing certificate and answers
 * ConfirmSubscription visits (recording them), and signs envelopes for the CLI (`POST /sign`: the key never
 * leaves this process; the certificate URL is forced to its own). Only loopback; its URL pattern is what the local stack sets as
 * SNS_URL_PATTERN. Production never trusts it: the default pattern admits only `sns.<region>.amazonaws.com`.
 */
export interface LocalSnsServer {
  readonly url: string;
  readonly certificateUrl: string;
  /** An anchored SNS_URL_PATTERN admitting exactly this server. */
  readonly urlPattern: string;
  readonly identity: SigningIdentity;
  readonly confirmations: Array<{ readonly topicArn: string; readonly token: string }>;
  /** Requests seen: certificate fetches, and requests for any other path (answered 404). */
  readonly counts: { certificateFetches: number; otherPaths: number };
  subscribeUrl(topicArn: string, token: string): string;
  stop(): Promise<void>;
}

const LOCAL_CERTIFICATE_PATH = '/SimpleNotificationService-local.pem';

export async function startLocalSnsServer(
  options: { port?: number; host?: string } = {},
): Promise<LocalSnsServer> {
  const identity = createSigningIdentity({ commonName: 'sns.local-only.invalid' });
  const confirmations: Array<{ topicArn: string; token: string }> = [];
  const counts = { certificateFetches: 0, otherPaths: 0 };
  const host = options.host ?? '127.0.0.1';
  let url = '';
  let certificateUrl = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    if (request.method === 'GET' && url.pathname === LOCAL_CERTIFICATE_PATH) {
      counts.certificateFetches += 1;
      response.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(identity.certificatePem);
      return;
    }
    if (request.method === 'GET' && url.searchParams.get('Action') === 'ConfirmSubscription') {
      const topicArn = url.searchParams.get('TopicArn') ?? '';
      const token = url.searchParams.get('Token') ?? '';
      confirmations.push({ topicArn, token });
      response
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>${topicArn}:local</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>`,
        );
      return;
    }
    if (request.method === 'POST' && url.pathname === '/sign') {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 1024 * 1024) chunks.push(chunk);
      });
      request.on('end', () => {
        try {
          const unsigned = JSON.parse(Buffer.concat(chunks).toString('utf8')) as UnsignedSnsEnvelope;
          const signed: SnsEnvelope = signSnsEnvelope(
            { ...unsigned, SigningCertURL: certificateUrl },
            identity,
          );
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(signed));
        } catch {
          response.writeHead(400).end();
        }
      });
      return;
    }
    counts.otherPaths += 1;
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host}:${port}`;
  certificateUrl = `${url}${LOCAL_CERTIFICATE_PATH}`;
  return {
    url,
    certificateUrl,
    urlPattern: `^http://${host.replace(/\./g, '\\.')}:${port}/`,
    identity,
    confirmations,
    counts,
    subscribeUrl: (topicArn, token) =>
      `${url}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${encodeURIComponent(token)}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
