import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import type { LocalStack } from '../../src/local/local-stack.js';
import { emailMessageId, postMailgunWebhook } from '../fixtures/mailgun-webhooks.js';
import { rawRequest, sendRaw } from '../helpers/raw-http.js';
import { startInspectedStack } from '../helpers/test-stack.js';

type Stored = { filename: string; size: number; sha256: string; download: string };
type Detail = { id: string; messageId: string; verdict: string; storedAttachments: Stored[] };

let stack: LocalStack;
beforeAll(async () => {
  stack = await startInspectedStack();
});
afterAll(async () => {
  await stack?.stop();
});

const getJson = async <T>(path: string): Promise<T> =>
  (await (await fetch(`${stack.gatewayUrl}${path}`)).json()) as T;

describe('inspector: stored attachments with checksum and a local-only download link', () => {
  it('lists what the email stored, serves the bytes, and refuses the link to a rebound Host', async () => {
    const cv = randomBytes(64 * 1024);
    const messageId = emailMessageId();
    const posted = await postMailgunWebhook({
      url: `${stack.gatewayUrl}/email`,
      signingKey: DEMO.signingKey,
      sender: DEMO.emailSender,
      recipient: DEMO.emailAddress,
      messageId,
      attachments: [{ name: 'cv.pdf', type: 'application/pdf', content: cv }],
    });
    expect(posted.status).toBe(200);
    const { exchanges } = await getJson<{ exchanges: Detail[] }>('/_local/api/exchanges');
    const summary = exchanges.find((e) => e.messageId === messageId);
    const detail = await getJson<Detail>(`/_local/api/exchanges/${summary?.id}`);

    const [stored] = detail.storedAttachments;
    const sha256 = createHash('sha256').update(cv).digest('hex');
    expect(stored).toMatchObject({ filename: 'cv.pdf', size: cv.length, sha256 });
    const download = await fetch(`${stack.gatewayUrl}${stored?.download}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await download.arrayBuffer()).equals(cv)).toBe(true);

    const port = Number(new URL(stack.gatewayUrl).port);
    const rebound = await sendRaw(
      port,
      rawRequest({
        method: 'GET',
        target: stored?.download ?? '/',
        headers: [['Host', `rebind.evil.example:${port}`]],
      }),
    );
    expect(rebound.status).toBe(403);
    expect(rebound.body.length).toBeLessThan(cv.length);
  });
});
