import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IN_PROGRESS_MS } from '../../src/app/process-webhook.js';
import { receiptAttribute } from '../../src/domain/receipts.js';
import { DEMO } from '../../src/kit/demo-data.js';
import type { ProxyMode } from '../helpers/aws-proxy.js';
import { conversationItem, seedConversation } from '../helpers/conversations.js';
import { percentile, recordFigures } from '../helpers/figures.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';
import { TwilioLikeClient } from '../helpers/twilio-client.js';
import {
  copiesById,
  deliver,
  GENERIC_5XX,
  params,
  redeliverUntilAccepted,
  type StreamResult,
  streamThroughFault,
} from '../helpers/webhook-stream.js';

/** Per-attempt SDK timeout for this suite (production: 2,000 ms); two attempts per call, as in production. */
const AWS_TIMEOUT_MS = 250;

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({ awsCallTimeoutMs: AWS_TIMEOUT_MS });
});
afterAll(async () => {
  await t.stop();
});
beforeEach(async () => {
  for (const proxy of [t.dynamoProxy, t.sqsProxy]) {
    proxy.mode = { kind: 'pass' };
    proxy.faultFilter = undefined;
  }
  await t.drain('whatsappReplies');
  t.dynamoProxy.reset();
  t.sqsProxy.reset();
});

function inWindow(result: StreamResult) {
  return result.sent.filter((s) => s.sentAt >= result.faultStart && s.answeredAt <= result.faultEnd);
}

describe.each<[string, 'dynamo' | 'sqs', ProxyMode]>([
  ['DynamoDB answers 500', 'dynamo', { kind: 'fail' }],
  ['DynamoDB hangs', 'dynamo', { kind: 'hang' }],
  ['DynamoDB drops connections', 'dynamo', { kind: 'drop' }],
  ['DynamoDB slows past the timeout', 'dynamo', { kind: 'delay', ms: 2 * AWS_TIMEOUT_MS }],
  ['SQS answers 500', 'sqs', { kind: 'fail' }],
  ['SQS hangs', 'sqs', { kind: 'hang' }],
  ['SQS drops connections', 'sqs', { kind: 'drop' }],
])('mid-stream: %s', (name, target, mode) => {
  it('answers every webhook in the window 5xx with a generic body, without waiting for the dependency; redelivery queues each once', async () => {
    // Prepare
    const conversation = await seedConversation(t, 'whatsapp');
    const proxy = target === 'dynamo' ? t.dynamoProxy : t.sqsProxy;

    // Act
    const result = await streamThroughFault(t, conversation, 30, {
      proxy,
      mode,
      afterAnswers: 2,
      windowAnswers: 20,
    });
    await proxy.landed(); // late writes of slowed calls land
    const failed = result.sent.filter((s) => s.status !== 200);
    const redelivery = await redeliverUntilAccepted(t, conversation, failed);

    // Assess
    const windowed = inWindow(result);
    expect(windowed.length).toBeGreaterThanOrEqual(3);
    expect(windowed.map((s) => s.status)).toEqual(windowed.map(() => 503));
    for (const s of failed) {
      expect(s.status).toBe(503);
      expect(JSON.parse(s.body)).toEqual(GENERIC_5XX);
    }
    // Bounded by the SDK timeouts, not by the dependency: hung calls were still held when the window's answers were
    // all in (a handler that waited for them would never close the window). Not one per webhook: on a loaded runner
    // an attempt can time out before its connection reaches the proxy (measured: 16 held for 20 answers).
    if (mode.kind === 'hang') expect(result.heldAtFaultEnd).toBeGreaterThan(0);
    const failureMs = failed.map((s) => s.answeredAt - s.sentAt);
    const copies = copiesById(await t.drain('whatsappReplies'));
    expect(copies.size).toBe(30);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    expect(result.sent.map((s) => s.params.MessageSid).every((id) => copies.has(id ?? ''))).toBe(true);
    recordFigures('fault-injection', name, {
      sent: result.sent.length,
      inWindow: windowed.length,
      failed: failed.length,
      acceptedDuringStream: result.sent.length - failed.length,
      failureMsP50: percentile(failureMs, 50),
      failureMsMax: percentile(failureMs, 100),
      redeliveryRounds: redelivery.rounds,
      inProgressExpiriesWaited: redelivery.expiriesWaited,
      queuedCopies: [...copies.values()].reduce((a, b) => a + b, 0),
      awsTimeoutMs: AWS_TIMEOUT_MS,
    });
  });
});

describe('failures after the claim', () => {
  it('SQS fails after the claim: the claim is released at once and the retry is processed', async () => {
    // Prepare
    const conversation = await seedConversation(t, 'whatsapp');
    const form = params(conversation);
    t.sqsProxy.mode = { kind: 'fail' };

    // Act
    const failed = await deliver(t, conversation, form);
    const afterFailure = await conversationItem(t, conversation);
    t.sqsProxy.mode = { kind: 'pass' };
    const retry = await deliver(t, conversation, form);

    // Assess
    expect(failed.status).toBe(503);
    expect(afterFailure[receiptAttribute(form.MessageSid ?? '')]).toBeUndefined();
    expect(retry.status).toBe(200);
    expect([...copiesById(await t.drain('whatsappReplies')).entries()]).toEqual([[form.MessageSid, 1]]);
  });

  it('completing the receipt fails after SendMessage: still 200, and the duplicate window is exactly the claim expiry', async () => {
    // Prepare
    const conversation = await seedConversation(t, 'whatsapp');
    const form = params(conversation);
    t.dynamoProxy.faultFilter = (call) => call.operation === 'UpdateItem' && call.body.includes(':done');
    t.dynamoProxy.mode = { kind: 'fail' };

    // Act
    const first = await deliver(t, conversation, form);
    t.dynamoProxy.mode = { kind: 'pass' };
    const redeliveredInWindow = await deliver(t, conversation, form);
    t.clock.advance(IN_PROGRESS_MS + 1);
    const redeliveredAfterExpiry = await deliver(t, conversation, form);

    // Assess
    expect(first.status).toBe(200);
    expect(t.logger.messages()).toContain('receipt completion failed; a retry may enqueue a duplicate');
    expect(redeliveredInWindow.status).toBe(503);
    expect(redeliveredAfterExpiry.status).toBe(200);
    expect([...copiesById(await t.drain('whatsappReplies')).entries()]).toEqual([[form.MessageSid, 2]]);
  });

  it('a claim that lands after its caller timed out blocks redelivery only until it expires, then is processed once', async () => {
    // Prepare
    const conversation = await seedConversation(t, 'whatsapp');
    const form = params(conversation);
    t.dynamoProxy.faultFilter = (call) =>
      call.operation === 'UpdateItem' && call.body.includes('message_seq');
    // Held, not slowed by a timer: a timer would race the caller's release of its claim (a release landing after the
    // late claim would remove it, and the redelivery would then be processed at once).
    t.dynamoProxy.mode = { kind: 'defer' };

    // Act
    const first = await deliver(t, conversation, form);
    t.dynamoProxy.mode = { kind: 'pass' };
    const lateClaims = t.dynamoProxy.forwardDeferred(); // only now, after the caller gave up and released
    await t.dynamoProxy.landed();
    const beforeExpiry = await deliver(t, conversation, form);
    t.clock.advance(IN_PROGRESS_MS + 1);
    const afterExpiry = await deliver(t, conversation, form);

    // Assess
    expect(first.status).toBe(503);
    expect(lateClaims).toBeGreaterThanOrEqual(1);
    expect(beforeExpiry.status).toBe(503);
    expect(JSON.parse(beforeExpiry.body)).toEqual(GENERIC_5XX);
    expect(afterExpiry.status).toBe(200);
    expect([...copiesById(await t.drain('whatsappReplies')).entries()]).toEqual([[form.MessageSid, 1]]);
  });

  it("documented limit: while a dead attempt's claim has not expired, Twilio's whole retry budget gets 503s", async () => {
    // Prepare
    const conversation = await seedConversation(t, 'whatsapp');
    const form = params(conversation);
    const url = t.url('/whatsapp');
    const client = new TwilioLikeClient({
      authToken: DEMO.authToken,
      webhookUrl: `${url}#rc=5&rp=all`,
      fallbackUrl: `${url}#rc=5&rp=all`,
      attemptGapMs: 0,
    });
    t.dynamoProxy.faultFilter = (call) =>
      call.operation === 'UpdateItem' && call.body.includes('message_seq');
    t.dynamoProxy.mode = { kind: 'delay', ms: 2 * AWS_TIMEOUT_MS };

    // Act
    const started = performance.now();
    const twilio = await client.deliver(form);
    const gaveUpAfterMs = Math.round(performance.now() - started);
    t.dynamoProxy.mode = { kind: 'pass' };
    t.clock.advance(IN_PROGRESS_MS + 1);
    const replayedAfterExpiry = await deliver(t, conversation, form);

    // Assess
    expect(twilio.delivered).toBe(false);
    expect(twilio.attempts.map((a) => a.status)).toEqual(twilio.attempts.map(() => 503));
    expect(replayedAfterExpiry.status).toBe(200);
    expect([...copiesById(await t.drain('whatsappReplies')).entries()]).toEqual([[form.MessageSid, 1]]);
    recordFigures('fault-injection', 'stale claim vs Twilio retries', {
      twilioAttempts: twilio.attempts.length,
      all503: true,
      twilioGaveUpAfterMs: gaveUpAfterMs,
      inProgressMs: IN_PROGRESS_MS,
    });
  });

  it.each<[string, ProxyMode]>([
    ['SendMessage slows past the timeout', { kind: 'delay', ms: 2 * AWS_TIMEOUT_MS }],
    ['SendMessage response is lost', { kind: 'drop-response' }],
  ])(
    '%s: nothing is lost, and every extra copy is a SendMessage the gateway could not confirm',
    async (name, mode) => {
      // Prepare
      const conversation = await seedConversation(t, 'whatsapp');
      const forms = Array.from({ length: 5 }, () => params(conversation));
      t.sqsProxy.mode = mode;

      // Act
      const failed = await Promise.all(forms.map((form) => deliver(t, conversation, form)));
      await t.sqsProxy.landed();
      t.sqsProxy.mode = { kind: 'pass' };
      await redeliverUntilAccepted(t, conversation, failed);

      // Assess
      expect(failed.map((s) => s.status)).toEqual(forms.map(() => 503));
      const copies = copiesById(await t.drain('whatsappReplies'));
      const total = [...copies.values()].reduce((a, b) => a + b, 0);
      expect(copies.size).toBe(forms.length);
      expect(total).toBe(t.sqsProxy.count('SendMessage'));
      recordFigures('fault-injection', name, {
        webhooks: forms.length,
        sendMessageCalls: t.sqsProxy.count('SendMessage'),
        queuedCopies: total,
        duplicates: total - forms.length,
      });
    },
  );
});
