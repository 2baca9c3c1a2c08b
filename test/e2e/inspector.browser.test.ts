import { mkdirSync } from 'node:fs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/local/demo-data.js';
import type { LocalStack } from '../../src/local/local-stack.js';
import { CHROMIUM_LAUNCH } from '../helpers/chromium.js';
import { startInspectedStack } from '../helpers/inspected-stack.js';
import { drainQueue, sqsClient } from '../helpers/queues.js';

let stack: LocalStack;
let browser: Browser;
let page: Page;
let sqs: SQSClient;
const foreignRequests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startInspectedStack(), chromium.launch(CHROMIUM_LAUNCH)]);
  sqs = sqsClient(stack.sqsEndpoint);
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on('request', (request) => {
    if (!request.url().startsWith(stack.gatewayUrl)) foreignRequests.push(request.url());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  sqs?.destroy();
  await stack?.stop();
});

describe('inspector in a real browser', () => {
  it('sends a message from the form, shows it queued, replays it and shows the duplicate', async () => {
    await page.goto(`${stack.gatewayUrl}/_local/`);
    await page.getByTestId('send-body').fill('Hello from the browser test');

    await page.getByTestId('send-submit').click();

    const queued = page.locator('[data-testid="exchange-row"][data-verdict="queued"]');
    await queued.waitFor({ timeout: 10_000 });
    await page.getByTestId('detail-label').filter({ hasText: 'WhatsAppRepliesQueue' }).waitFor();
    const listText = await page.getByTestId('exchange-rows').textContent();
    expect(listText ?? '').toContain('Hello from the browser test');
    expect(listText ?? '').not.toContain(DEMO.aiSender);
    expect(await page.getByTestId('context').textContent()).toContain('"route": "ai"');
    await page
      .getByTestId('queue-WhatsAppRepliesQueue')
      .getByText('Hello from the browser test')
      .waitFor({ timeout: 5_000 });

    await page.getByTestId('replay-button').click();

    const duplicate = page.locator('[data-testid="exchange-row"][data-verdict="duplicate"]');
    await duplicate.waitFor({ timeout: 10_000 });
    expect(await duplicate.textContent()).toContain('replay (original)');
    await page.getByTestId('detail-label').filter({ hasText: 'duplicate' }).waitFor();
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/inspector.png', fullPage: true });
    const queuedBodies = (await drainQueue(sqs, stack.queueUrls.whatsappReplies)) as {
      message: { body: string };
    }[];
    expect(queuedBodies.map((context) => context.message.body)).toEqual(['Hello from the browser test']);
    expect(await page.locator('[data-testid="exchange-row"]').count()).toBe(2);
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
