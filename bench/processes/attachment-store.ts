/**
 * Child process (run with --expose-gc): the S3 attachment store as the handler uses it, storing streamed
 * attachments generated on the fly, so the only copy of the bytes in this process is what the store itself holds.
 */
import { randomBytes } from 'node:crypto';
import { S3AttachmentStore } from '../../src/adapters/aws/s3-attachment-store.js';
import { provisionBucket } from '../../src/local/provision-bucket.js';
import { ATTACHMENTS_BUCKET } from '../../src/resources.js';
import { localS3Client } from '../../test/helpers/local-s3.js';
import { childArgs, serveChild } from '../lib/child.js';

const { endpoint } = childArgs<{ endpoint: string }>();
const s3 = localS3Client(endpoint);
await provisionBucket(s3, ATTACHMENTS_BUCKET.localName);
const store = new S3AttachmentStore(s3, { bucket: ATTACHMENTS_BUCKET.localName });
const chunk = randomBytes(64 * 1024);
const commands: string[] = [];
s3.middlewareStack.add(
  (next, context) => (args) => {
    commands.push(String(context.commandName));
    return next(args);
  },
  { step: 'initialize', name: 'countCommands' },
);

async function* body(bytes: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < bytes; sent += chunk.length)
    yield chunk.subarray(0, Math.min(chunk.length, bytes - sent));
}

const gc = (globalThis as { gc?: () => void }).gc;
async function settle(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().rss;
}

let run = 0;
serveChild(
  { gc: gc !== undefined },
  {
    /** Stores one attachment of `bytes`; RSS sampled every 5 ms against the settled RSS just before. */
    async store(args) {
      const { bytes } = args as { bytes: number };
      const idle = await settle();
      let peak = idle;
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      commands.length = 0;
      const started = performance.now();
      run += 1;
      const stored = await store.put({
        key: `attachments/bench/run-${run}/0`,
        contentType: 'application/pdf',
        body: body(bytes),
        maxBytes: bytes,
      });
      const ms = performance.now() - started;
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { idle, peak, ms, size: stored.size, commands: [...commands] };
    },
  },
  async () => s3.destroy(),
);
