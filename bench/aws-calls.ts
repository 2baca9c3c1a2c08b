import { type Child, startChild } from './lib/child.js';
import type { LambdaBundle } from './lib/lambda-bundle.js';
import { atMost, type Figure } from './lib/report.js';
import { sum } from './lib/stats.js';
import type { EmulatorEndpoints } from './processes/emulators.js';

const WARM = 20;
const FORGED = 10;

export interface CallCounts {
  readonly figures: Figure[];
  /** Operations per accepted webhook, e.g. `dynamodb:Query` → 1. */
  readonly perAccepted: Record<string, number>;
  /** Bytes the handler logs per accepted webhook (JSON logs + EMF metrics): CloudWatch Logs ingestion. */
  readonly logBytesPerAccepted: number;
  readonly details: unknown;
}

type Counted = { operations: Record<string, number>; stdoutBytes: number };

const perWebhook = (counts: Record<string, number>, webhooks: number) =>
  Object.fromEntries(Object.entries(counts).map(([operation, n]) => [operation, n / webhooks]));

/**
 * Counted at the emulators: the production bundle's AWS traffic goes through counting proxies (one per service,
 * Secrets Manager included), and only what it sends after warm-up is counted.
 */
export async function measureAwsCalls(
  bundle: LambdaBundle,
  /** bench/processes/lambda-driver.ts, bundled (bench/lib/bundle-script.ts). */
  driverFile: string,
  endpoints: EmulatorEndpoints,
  senders: { offset: number; count: number },
): Promise<CallCounts> {
  const driver: Child<unknown> = await startChild(driverFile, {
    args: {
      bundle: bundle.file,
      endpoints,
      count: true,
      senderOffset: senders.offset,
      senders: senders.count,
    },
  });
  try {
    // Warm: registry entry and secret cached, connections open.
    await driver.call('send', { count: 3, forged: false });
    await driver.call('calls');
    await driver.call('send', { count: WARM, forged: false });
    const { operations: accepted, stdoutBytes } = await driver.call<Counted>('calls');
    // The first forged request may re-fetch the secret (rate-limited to once per 60 s per secret): warm up with it.
    await driver.call('send', { count: 1, forged: true });
    await driver.call('calls');
    await driver.call('send', { count: FORGED, forged: true });
    const { operations: forged } = await driver.call<Counted>('calls');
    const perAccepted = perWebhook(accepted, WARM);
    const breakdown = Object.entries(perAccepted)
      .map(([operation, n]) => `${operation.split(':')[1]} ${n}`)
      .join(', ');
    return {
      perAccepted,
      logBytesPerAccepted: stdoutBytes / WARM,
      figures: [
        {
          id: '4a',
          // 4 per webhook plus the monthly quota counter: one UpdateItem per 50 verified webhooks.
          label: 'AWS calls per accepted webhook (warm; 4 + quota counter)',
          value: sum(Object.values(accepted)) / WARM,
          unit: 'calls',
          target: atMost(4.1),
          baseline: breakdown,
        },
        {
          id: '4b',
          label: 'AWS calls per forged webhook (warm)',
          value: sum(Object.values(forged)) / FORGED,
          unit: 'calls',
          target: atMost(0),
          baseline: 'reference: 4 (it verifies nothing)',
        },
      ],
      details: {
        accepted: perAccepted,
        forged: perWebhook(forged, FORGED),
        logBytesPerAccepted: stdoutBytes / WARM,
        webhooks: { accepted: WARM, forged: FORGED },
      },
    };
  } finally {
    await driver.stop();
  }
}
