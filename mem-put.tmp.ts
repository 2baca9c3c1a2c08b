import { randomBytes } from 'node:crypto';
import { S3AttachmentStore } from './src/adapters/aws/s3-attachment-store.js';
import { createS3Client } from './src/adapters/aws/s3-client.js';
import { loadConfig } from './src/config.js';
import { provisionBucket } from './src/local/provision-bucket.js';
const endpoint = process.argv[2] as string;
const q = Object.fromEntries(['WHATSAPP','SMS','EMAIL','HANDOFF'].map((n) => [`${n}_REPLIES_QUEUE_URL`.replace('HANDOFF_REPLIES','HANDOFF'), 'http://q/1']));
const config = loadConfig({ ...q, AWS_ENDPOINT_URL_S3: endpoint });
const s3 = createS3Client(config, { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
await provisionBucket(s3, config.attachmentsBucket);
const store = new S3AttachmentStore(s3, { bucket: config.attachmentsBucket });
const CHUNK = randomBytes(64 * 1024);
async function* body(total: number) { for (let sent = 0; sent < total; sent += CHUNK.length) yield CHUNK.subarray(0, Math.min(CHUNK.length, total - sent)); }
await store.put({ key: 'attachments/warm/0', contentType: 'application/pdf', body: body(6 * 1024 * 1024), maxBytes: 26 << 20 });
for (let i = 0; i < 5; i++) { (globalThis as { gc?: () => void }).gc?.(); await new Promise((r) => setTimeout(r, 50)); }
const idle = process.memoryUsage().rss;
let peak = idle;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
const SIZE = 25 * 1024 * 1024;
const t0 = performance.now();
const r = await store.put({ key: 'attachments/big/0', contentType: 'application/pdf', body: body(SIZE), maxBytes: SIZE });
const ms = performance.now() - t0;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(JSON.stringify({ size: r.size, idleMB: +(idle / 2 ** 20).toFixed(1), peakMB: +(peak / 2 ** 20).toFixed(1), deltaMB: +((peak - idle) / 2 ** 20).toFixed(1), ratioOfSize: +((peak - idle) / SIZE).toFixed(2), ms: Math.round(ms) }));
s3.destroy();
