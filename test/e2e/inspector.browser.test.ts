import { mkdirSync } from 'node:fs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import type { LocalStack } from '../../src/local/local-stack.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { CHROMIUM_LAUNCH } from '../helpers/chromium.js';
import { messageAcme, runCliCaptured, sendDemoSesEmail } from '../helpers/cli.js';
import { drainQueue, sqsClient } from '../helpers/queues.js';
import { startInspectedStack } from '../helpers/test-stack.js';

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

  it('at 1366×768 every row shows its verdict on screen, uncovered, with a rejection reason in the row', async () => {
    const url = `${stack.gatewayUrl}/whatsapp`;
    const base = { From: `whatsapp:${DEMO.aiSender}`, To: DEMO.whatsappNumber, AccountSid: DEMO.accountSid };
    const long = `A long reply that goes on ${'and on '.repeat(40)}until it cannot fit any table cell`;
    const statuses = [
      (
        await postTwilioWebhook({
          url,
          authToken: DEMO.authToken,
          params: inboundParams({ ...base, Body: long }),
        })
      ).status,
      (await postTwilioWebhook({ url, authToken: 'not-the-token', params: inboundParams(base) })).status,
      (
        await postTwilioWebhook({
          url,
          authToken: DEMO.authToken,
          params: inboundParams({ ...base, From: 'whatsapp:07700900123' }),
        })
      ).status,
    ];
    expect(statuses).toEqual([200, 403, 400]);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${stack.gatewayUrl}/_local/`);
    const rows = page.locator('[data-testid="exchange-row"]');
    await page.locator('[data-testid="exchange-row"][data-verdict="rejected"]').waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(5);

    const badges = await page
      .locator('[data-testid="exchange-row"] [data-testid="verdict"]')
      .evaluateAll((all) =>
        all.map((badge) => {
          const box = badge.getBoundingClientRect();
          const { ownerDocument: doc } = badge;
          const view = { width: doc.documentElement.clientWidth, height: doc.documentElement.clientHeight };
          const hit = doc.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
          return {
            text: badge.textContent,
            inside: box.left >= 0 && box.top >= 0 && box.right <= view.width && box.bottom <= view.height,
            uncovered: hit !== null && (hit === badge || badge.contains(hit)),
          };
        }),
      );
    expect(badges.map((b) => b.text).sort()).toEqual(['duplicate', 'forged', 'queued', 'queued', 'rejected']);
    expect(badges.filter((b) => !b.inside || !b.uncovered)).toEqual([]);
    const pageWidth = await page.locator('html').evaluate((html) => html.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(1366);
    const reason = page.locator('[data-verdict="rejected"] [data-testid="row-reason"]');
    expect(await reason.textContent()).toMatch(/From/);

    await page.locator('[data-testid="exchange-row"][data-verdict="rejected"]').click();
    await page
      .getByTestId('detail-label')
      .filter({ hasText: /rejected — 400.*From/ })
      .waitFor();
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/inspector-1366.png' });
    await drainQueue(sqs, stack.queueUrls.whatsappReplies);
    expect(pageErrors).toEqual([]);
  });

  it('keeps a replay result when a poll re-renders the details, and says plainly when the stack is down', async () => {
    await page.locator('[data-testid="exchange-row"][data-verdict="queued"]').first().click();
    await page.getByTestId('replay-button').click();
    const result = page.getByTestId('replay-result');
    await result.filter({ hasText: 'duplicate' }).waitFor({ timeout: 10_000 });
    const before = await page.locator('[data-testid="exchange-row"]').count();

    // A new webhook changes the list, and the next poll re-renders the open details.
    const params = inboundParams({
      From: `whatsapp:${DEMO.aiSender}`,
      To: DEMO.whatsappNumber,
      AccountSid: DEMO.accountSid,
    });
    await postTwilioWebhook({ url: `${stack.gatewayUrl}/whatsapp`, authToken: DEMO.authToken, params });
    await page.locator('[data-testid="exchange-row"]').nth(before).waitFor({ timeout: 10_000 });

    expect(await result.textContent()).toContain('duplicate');
    expect(await page.getByTestId('unreachable').isHidden()).toBe(true);

    await page.route('**/_local/api/**', (route) => route.abort('connectionrefused'));
    await page.getByTestId('unreachable').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await page.getByTestId('unreachable').textContent()).toContain(`Stack unreachable`);
    expect(await page.getByTestId('unreachable').textContent()).toContain(stack.gatewayUrl);
    await page.unroute('**/_local/api/**');
    await page.getByTestId('unreachable').waitFor({ state: 'hidden', timeout: 5_000 });
    await drainQueue(sqs, stack.queueUrls.whatsappReplies);
  });

  it('at 1366 px: to, company, provider and queue on screen for two tenants; SES rows with preview and id; replay results stay with their row', async () => {
    const cli = (...argv: string[]) => runCliCaptured([...argv, '--url', stack.gatewayUrl]);
    await messageAcme(cli, { channel: 'whatsapp:+15550003333', sender: '+447700900888', body: 'for acme' });
    const ses = await sendDemoSesEmail(cli, '--body', 'via SES');
    const sesMessageId = /message +(\S+)/.exec(ses.stdout)?.[1] ?? '';
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${stack.gatewayUrl}/_local/`);
    const sesRow = page.locator('[data-testid="exchange-row"]').filter({ hasText: 'via SES' });
    await sesRow.waitFor({ timeout: 10_000 });
    const acmeRow = page
      .locator('[data-testid="exchange-row"][data-verdict="queued"]')
      .filter({ hasText: 'Acme Staffing' });

    const cells = await page.locator('[data-testid="exchange-row"]').evaluateAll((rows) =>
      rows.slice(0, 2).map((row) => {
        const view = row.ownerDocument.documentElement.clientWidth;
        const cell = (id: string) => {
          const element = row.querySelector(`[data-testid="${id}"]`);
          const box = element?.getBoundingClientRect();
          const visible = box !== undefined && box.width > 0 && box.left >= 0 && box.right <= view;
          return { text: element?.textContent ?? null, visible };
        };
        return ['row-provider', 'row-to', 'row-company', 'row-queue'].map(cell);
      }),
    );
    expect(cells.flat().filter((c) => !c.visible)).toEqual([]);
    expect(cells.map((row) => row.map((c) => c.text))).toEqual([
      ['ses', expect.stringContaining('@'), 'Cucumber Recruitment', 'EmailRepliesQueue'],
      ['twilio', expect.stringContaining('whatsapp:'), 'Acme Staffing', 'WhatsAppRepliesQueue'],
    ]);
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(1366);
    await sesRow.click();
    await page.getByTestId('detail-message-id').filter({ hasText: sesMessageId }).waitFor();
    // One time format: the row's and the detail's time read the same.
    const rowTime = await sesRow.locator('td').first().textContent();
    expect(await page.getByTestId('detail').textContent()).toContain(rowTime ?? 'no time');
    expect(rowTime).toMatch(/^\d{2}:\d{2}:\d{2}$/);

    await acmeRow.click();
    await page.getByTestId('replay-button').click();
    await page.getByTestId('replay-result').filter({ hasText: 'duplicate' }).waitFor({ timeout: 10_000 });
    await sesRow.click();
    await page.getByTestId('detail-message-id').filter({ hasText: sesMessageId }).waitFor();

    expect(await page.getByTestId('replay-result').textContent()).toBe('');
    expect(await acmeRow.getByTestId('row-replay').textContent()).toContain('duplicate');
    await acmeRow.click();
    await page.getByTestId('replay-result').filter({ hasText: 'duplicate' }).waitFor();
    await page.screenshot({ path: 'test-artifacts/inspector-columns-1366.png' });
    await drainQueue(sqs, stack.queueUrls.whatsappReplies);
    await drainQueue(sqs, stack.queueUrls.emailReplies);
    // The previous test made the stack unreachable on purpose; its refused polls may land late.
    expect(pageErrors.filter((e) => !e.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
  });
});
