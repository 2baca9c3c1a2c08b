import autocannon, { type Result } from 'autocannon';
import { benchSender, signedWebhook } from './whatsapp.js';

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests per second over all connections; unset = as fast as the server answers. */
  readonly rate?: number;
  /** Senders `senderOffset … senderOffset + senders - 1` are cycled through, one seeded conversation each. */
  readonly senders: number;
  readonly senderOffset?: number;
}

export interface LoadResult {
  /** One per response, ms, as autocannon timed it. */
  readonly latencies: number[];
  readonly ok: number;
  readonly failed: number;
  readonly errors: number;
  readonly durationSeconds: number;
}

/**
 * autocannon against `<baseUrl>/whatsapp`, every request a fresh, validly signed WhatsApp webhook (new MessageSid,
 * signature over the exact URL the gateway verifies: http:// + Host + path). Signing happens in `setupRequest`,
 * so no two requests are alike and nothing hits the duplicate path.
 */
export function runLoad(baseUrl: string, options: LoadOptions): Promise<LoadResult> {
  const url = `${baseUrl}/whatsapp`;
  let next = 0;
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 15,
        ...(options.rate ? { overallRate: options.rate } : {}),
        requests: [
          {
            method: 'POST',
            path: '/whatsapp',
            setupRequest: (request) => {
              const index = (options.senderOffset ?? 0) + (next++ % options.senders);
              const webhook = signedWebhook(url, { sender: benchSender(index) });
              return {
                ...request,
                headers: Object.fromEntries(webhook.headers),
                body: webhook.body.toString(),
              };
            },
          },
        ],
      },
      (error: Error | null, result: Result) => {
        if (error) return reject(error);
        resolve({ latencies, ok, failed, errors: result.errors, durationSeconds: result.duration });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode === 200) ok++;
      else failed++;
    });
  });
}
