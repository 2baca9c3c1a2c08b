import { randomBytes } from 'node:crypto';
import { DEMO } from '../src/kit/demo-data.js';
import { postMailgunWebhook } from '../test/fixtures/mailgun-webhooks.js';
import { startCountedStack } from './lib/counted-stack.js';
import { atMost, type Figure } from './lib/report.js';
import { runAlone } from './lib/run-alone.js';

/** Attachments per email measured; each is 100 KB (one PutObject: below the 5 MiB multipart threshold). */
const COUNTS = [0, 1, 3] as const;
const EMAILS = 5;
const LONG_BODY = 'My experience, in detail.\n'.repeat(12_000);

/** S3 speaks REST, not X-Amz-Target: name the operation from the method and query. */
function s3Operation(method: string, url: string): string {
  if (url.includes('uploads')) return 'CreateMultipartUpload';
  if (url.includes('partNumber=')) return 'UploadPart';
  if (url.includes('uploadId='))
    return method === 'POST' ? 'CompleteMultipartUpload' : 'AbortMultipartUpload';
  return `${method === 'PUT' ? 'PutObject' : method}`;
}

/**
 * Issue 13: AWS calls per accepted email with N attachments, through the real local stack (the handler the Lambda
 * exports, the same adapters), counted at proxies in front of DynamoDB, SQS and S3 after a warm-up.
 */
export async function measureEmailAttachmentCalls(): Promise<{ figures: Figure[]; details: unknown }> {
  const counted = await startCountedStack();
  const { stack, proxies } = counted;
  const s3Calls: string[] = [];
  const originalHandle = (proxies.s3 as unknown as { handle: (...a: unknown[]) => void }).handle.bind(
    proxies.s3,
  );
  (proxies.s3 as unknown as { handle: (...a: unknown[]) => void }).handle = (...a: unknown[]) => {
    const req = a[0] as { method: string; url: string };
    s3Calls.push(s3Operation(req.method, req.url));
    originalHandle(...a);
  };
  const send = async (attachments: number, text?: string) => {
    const response = await postMailgunWebhook({
      url: `${stack.gatewayUrl}/email`,
      signingKey: DEMO.signingKey,
      sender: DEMO.emailSender,
      recipient: DEMO.emailAddress,
      ...(text ? { text } : {}),
      attachments: Array.from({ length: attachments }, (_, i) => ({
        name: `cv-${i}.pdf`,
        type: 'application/pdf',
        content: randomBytes(100 * 1024),
      })),
    });
    if (response.status !== 200) throw new Error(`email answered ${response.status}`);
  };
  const reset = () => {
    for (const proxy of Object.values(proxies)) proxy.reset();
    s3Calls.length = 0;
  };
  try {
    await send(1);
    const rows: {
      attachments: number;
      longBody: boolean;
      perEmail: number;
      breakdown: Record<string, number>;
    }[] = [];
    // The counts above, then a 300 KB plain-text reply without attachments (its whole text goes to S3: full_body).
    for (const [n, longBody] of [...COUNTS.map((c) => [c, false] as const), [0, true] as const]) {
      reset();
      for (let i = 0; i < EMAILS; i++) await send(n, longBody ? LONG_BODY : undefined);
      const breakdown: Record<string, number> = {};
      for (const [service, proxy] of Object.entries(proxies)) {
        const ops = service === 's3' ? s3Calls : proxy.calls;
        for (const op of ops)
          breakdown[`${service}:${op}`] = (breakdown[`${service}:${op}`] ?? 0) + 1 / EMAILS;
      }
      rows.push({
        attachments: n,
        longBody,
        perEmail: Object.values(breakdown).reduce((a, b) => a + b, 0),
        breakdown,
      });
    }
    const text = (b: Record<string, number>) =>
      Object.entries(b)
        .map(([op, n]) => `${op.split(':')[1]} ${Number(n.toFixed(2))}`)
        .join(', ');
    return {
      figures: rows.map((row) => ({
        id: row.longBody ? '13c/long' : `13c/${row.attachments}`,
        label: row.longBody
          ? 'AWS calls per email with a 300 KB plain-text body (full_body in S3)'
          : `AWS calls per email with ${row.attachments} attachment(s) of 100 KB`,
        value: row.perEmail,
        unit: 'calls',
        // The 5 of every email (token PutItem, Query, claim and completion UpdateItems, SendMessage) + 1 per
        // attachment, + 1 for a body too long for the queue.
        target: atMost(5 + row.attachments + (row.longBody ? 1 : 0)),
        baseline: text(row.breakdown),
      })),
      details: rows,
    };
  } finally {
    await counted.stop();
  }
}

await runAlone(import.meta.url, measureEmailAttachmentCalls);
