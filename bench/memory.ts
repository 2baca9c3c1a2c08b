import { startChild } from './lib/child.js';
import type { LambdaBundle } from './lib/lambda-bundle.js';
import { atMost, type Figure } from './lib/report.js';
import { mean } from './lib/stats.js';
import type { EmulatorEndpoints } from './processes/emulators.js';

const WARMUP = 1_000;
const WEBHOOKS = 10_000;
const CHECKPOINTS = 5;
const MB = 1024 * 1024;

interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
}

/**
 * RSS growth of the production bundle over 10,000 sequential accepted webhooks, after a warm-up, measured after
 * forced GCs (--expose-gc) on both sides: what a warm Lambda environment would keep accumulating.
 */
export async function measureMemory(
  bundle: LambdaBundle,
  /** bench/processes/lambda-driver.ts, bundled (bench/lib/bundle-script.ts). */
  driverFile: string,
  endpoints: EmulatorEndpoints,
  senders: { offset: number; count: number },
): Promise<{ figures: Figure[]; meanHandlerMs: number; details: unknown }> {
  const driver = await startChild<{ gc: boolean }>(driverFile, {
    args: {
      bundle: bundle.file,
      endpoints,
      count: false,
      senderOffset: senders.offset,
      senders: senders.count,
    },
    nodeFlags: ['--expose-gc'],
  });
  try {
    if (!driver.ready.gc) throw new Error('the driver has no gc(): --expose-gc missing');
    await driver.call('send', { count: WARMUP, forged: false });
    const before = await driver.call<Memory>('memory');
    const checkpoints: Memory[] = [];
    const durations: number[] = [];
    for (let i = 0; i < CHECKPOINTS; i++) {
      const run = await driver.call<{ meanMs: number }>('send', {
        count: WEBHOOKS / CHECKPOINTS,
        forged: false,
      });
      durations.push(run.meanMs);
      checkpoints.push(await driver.call<Memory>('memory'));
    }
    const after = checkpoints[checkpoints.length - 1] ?? before;
    const run = { meanMs: mean(durations) };
    const heapGrowth = (after.heapUsed - before.heapUsed) / MB;
    return {
      meanHandlerMs: run.meanMs,
      figures: [
        {
          id: '5a',
          label: `RSS growth over ${WEBHOOKS.toLocaleString('en-US')} webhooks`,
          value: (after.rss - before.rss) / MB,
          unit: 'MB',
          target: atMost(10),
          baseline: `heap ${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(2)} MB; RSS ${(before.rss / MB).toFixed(0)} MB at start`,
        },
        {
          id: '5b',
          label: 'handler duration, sequential, mean',
          value: run.meanMs,
          unit: 'ms',
          baseline: 'production bundle against the emulators',
        },
      ],
      details: {
        before,
        checkpointsMb: checkpoints.map((m) => Number((m.rss / MB).toFixed(1))),
        after,
        warmup: WARMUP,
        webhooks: WEBHOOKS,
        meanHandlerMs: run.meanMs,
      },
    };
  } finally {
    await driver.stop();
  }
}
