import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

// A CommonJS module whose `exports.default` is the server factory: ESM's default import would be the exports object.
const { default: startSesServer } = createRequire(import.meta.url)(
  'aws-ses-v2-local',
) as typeof import('aws-ses-v2-local');

/** What aws-ses-v2-local records for each SendEmail (its `GET /store`), the fields the outbox shows. */
export interface SentEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly at: number;
}

export interface SesEmulator {
  /** The SESv2 endpoint (AWS_ENDPOINT_URL_SESV2); its `/` is a small mailbox page. */
  readonly endpoint: string;
  sent(): Promise<SentEmail[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The embedded SESv2 emulator of the local stack (aws-ses-v2-local, in memory, npm only; it relays to SMTP only
 * when SMTP_TRANSPORT is set, which the local stack never does). Port 0 picks a free port (tests).
 */
export async function startSesEmulator(options: { port: number; host?: string }): Promise<SesEmulator> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = await startSesServer({ host, port: options.port });
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;
  const clear = async () => {
    await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  };
  // aws-ses-v2-local keeps its mailbox in module scope: without this, a second emulator started in the same process
  // (a test file after another, a stack restarted in-process) would list the first one's emails as its own.
  await clear();
  return {
    endpoint,
    async sent() {
      const response = await fetch(`${endpoint}/store`);
      const store = (await response.json()) as { emails: SentEmail[] };
      return store.emails;
    },
    clear,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
