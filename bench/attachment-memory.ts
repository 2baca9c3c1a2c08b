import { startChild } from './lib/child.js';
import { atMost, type Figure } from './lib/report.js';
import { runAlone } from './lib/run-alone.js';

const MB = 1024 * 1024;
const ATTACHMENT_BYTES = 25 * MB;

interface StoreRun {
  readonly idle: number;
  readonly peak: number;
  readonly ms: number;
  readonly size: number;
  readonly commands: string[];
}

/**
 * Issue 13: peak RSS while the S3 attachment store streams a 25 MB attachment (Mailgun's limit) into the S3
 * emulator, over the settled RSS just before, in a process that holds nothing else; target under 2× the size.
 * Also the S3 calls one attachment costs. In `npm run bench`; alone: `npx tsx bench/attachment-memory.ts`.
 */
export async function measureAttachmentMemory(): Promise<{ figures: Figure[]; details: unknown }> {
  const emulator = await startChild<{ endpoint: string }>('bench/processes/s3-emulator.ts');
  try {
    const store = await startChild<{ gc: boolean }>('bench/processes/attachment-store.ts', {
      args: { endpoint: emulator.ready.endpoint },
      nodeFlags: ['--expose-gc'],
    });
    try {
      if (!store.ready.gc) throw new Error('the store process has no gc(): --expose-gc missing');
      await store.call<StoreRun>('store', { bytes: 6 * MB });
      const small = await store.call<StoreRun>('store', { bytes: 200 * 1024 });
      const big = await store.call<StoreRun>('store', { bytes: ATTACHMENT_BYTES });
      const growth = big.peak - big.idle;
      return {
        figures: [
          {
            id: '13a',
            label: 'peak RSS storing a 25 MB attachment, over idle',
            value: growth / MB,
            unit: 'MB',
            target: atMost((2 * ATTACHMENT_BYTES) / MB),
            baseline: `${(growth / ATTACHMENT_BYTES).toFixed(2)}× the attachment; idle RSS ${(big.idle / MB).toFixed(0)} MB; ${big.ms.toFixed(0)} ms`,
          },
          {
            id: '13b',
            label: 'S3 calls per attachment: 200 KB / 25 MB',
            value: big.commands.length,
            unit: 'calls',
            baseline: `200 KB: ${small.commands.join(', ')}; 25 MB: ${big.commands.length} (multipart)`,
          },
        ],
        details: { small, big },
      };
    } finally {
      await store.stop();
    }
  } finally {
    await emulator.stop();
  }
}

await runAlone(import.meta.url, measureAttachmentMemory);
