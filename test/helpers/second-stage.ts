import type { AddressInfo } from 'node:net';
import { createGateway } from '../../src/local/gateway.js';
import type { TestStack } from './test-stack.js';

export interface SecondStage {
  url(path: string): string;
  stop(): Promise<void>;
}

/**
 * Another API Gateway stage in front of the same handler, tables and queues, with its own throttle: where a Twilio
 * Fallback URL can point so that it neither shares the primary's throttle budget nor bypasses deduplication. Also a
 * fresh throttled stage for each load scenario (a new token bucket, full burst).
 */
export async function startStage(
  t: TestStack,
  limits: { readonly rate: number; readonly burst: number } = { rate: 0, burst: 0 },
): Promise<SecondStage> {
  const server = createGateway({
    handler: t.stack.handler,
    throttleRateLimit: limits.rate,
    throttleBurstLimit: limits.burst,
    corsAllowOrigin: '*',
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path) => `${base}${path}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const startSecondStage = startStage;
