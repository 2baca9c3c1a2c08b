import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

const DEADLINE_MS = 700;
// Query ends at 400 ms; the claim is in flight when the deadline passes at 700 ms, so nothing is sent to SQS.
const CALL_DELAY_MS = 400;

let t: TestStack;
beforeAll(async () => {
  // Each call alone is well inside its own timeout; only their sum passes the webhook's deadline.
  t = await startTestStack({ awsCallTimeoutMs: 2_000, webhookDeadlineMs: DEADLINE_MS });
  // Warm the registry and secret caches, as a warm Lambda would be.
  await send(params());
  await t.drain('whatsappReplies');
});
afterAll(async () => {
  await t.stop();
});

function params() {
  return inboundParams({
    From: `whatsapp:${DEMO.aiSender}`,
    To: DEMO.whatsappNumber,
    AccountSid: DEMO.accountSid,
  });
}
function send(form: Record<string, string>) {
  return postTwilioWebhook({ url: t.url('/whatsapp'), authToken: DEMO.authToken, params: form });
}

describe('per-webhook deadline', () => {
  it('ends slow-but-successful calls in a 503 at the deadline, releases the claim, and the retry succeeds', async () => {
    // Prepare
    const form = params();
    t.sqsProxy.reset();
    t.dynamoProxy.mode = { kind: 'delay', ms: CALL_DELAY_MS };
    t.sqsProxy.mode = { kind: 'delay', ms: CALL_DELAY_MS };

    // Act
    const slow = await send(form);
    t.dynamoProxy.mode = { kind: 'pass' };
    t.sqsProxy.mode = { kind: 'pass' };
    await Promise.all([t.dynamoProxy.landed(), t.sqsProxy.landed()]); // late answers drain
    const sentBeforeRetry = t.sqsProxy.count('SendMessage');
    const retry = await send(form);

    // Assess: the claim that landed after the abort was released, so the retry is processed at once, once.
    expect(slow.status).toBe(503);
    // Every call alone is inside its timeout: only the deadline can have stopped the webhook before SendMessage.
    expect(sentBeforeRetry).toBe(0);
    expect(retry.status).toBe(200);
    const queued = (await t.drain('whatsappReplies')) as { message: { message_id: string } }[];
    expect(queued.map((m) => m.message.message_id)).toEqual([form.MessageSid]);
  });

  it('leaves a webhook whose calls fit inside the deadline alone', async () => {
    t.dynamoProxy.mode = { kind: 'delay', ms: 50 };

    const response = await send(params());

    t.dynamoProxy.mode = { kind: 'pass' };
    expect(response.status).toBe(200);
    expect(await t.drain('whatsappReplies')).toHaveLength(1);
  });
});
