import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECEIPTS, RECEIPT_RETENTION_MS } from '../../src/domain/receipts.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { OBSERVABILITY } from '../../src/resources.js';
import { emailMessageId, postMailgunWebhook } from '../fixtures/mailgun-webhooks.js';
import { type SeededConversation, seedConversation } from '../helpers/conversations.js';
import { recordFigures } from '../helpers/figures.js';
import { type SecondStage, startStage, startTestStack, type TestStack } from '../helpers/test-stack.js';
import { type DeliveryResult, othersAnswered, TwilioLikeClient } from '../helpers/twilio-client.js';
import { copiesById, deliver, params, redeliverUntilAccepted } from '../helpers/webhook-stream.js';

let t: TestStack;
let secondStage: SecondStage;
beforeAll(async () => {
  t = await startTestStack();
  secondStage = await startStage(t);
});
afterAll(async () => {
  await secondStage.stop();
  await t.stop();
});
beforeEach(async () => {
  await Promise.all([t.drain('whatsappReplies'), t.drain('smsReplies'), t.drain('emailReplies')]);
});

/**
 * Twilio configured with `#rc=5&rp=all`, so a 503 "in progress" is retried; each retry waits until the other
 * attempts in flight (among them the one holding the claim) have had their answer, not for a fixed time.
 */
function twilioClient(url: string): TwilioLikeClient {
  return new TwilioLikeClient({
    authToken: DEMO.authToken,
    webhookUrl: `${url}#rc=5&rp=all`,
    attemptGapMs: 0,
    beforeRetry: othersAnswered,
  });
}

type Pattern = 'concurrent' | 'sequential' | 'fallback';

/** Three deliveries of one message: all at once, one after another, or the primary racing its Fallback URL calls. */
async function threeDeliveries(
  conversation: SeededConversation,
  pattern: Pattern,
): Promise<DeliveryResult[]> {
  const path = `/${conversation.channel}`;
  const primary = twilioClient(t.url(path));
  const form = params(conversation);
  if (pattern === 'concurrent') return Promise.all([1, 2, 3].map(() => primary.deliver(form)));
  if (pattern === 'sequential') {
    const results: DeliveryResult[] = [];
    for (let i = 0; i < 3; i++) results.push(await primary.deliver(form));
    return results;
  }
  // Twilio timed out on the primary while it was still being processed and called the Fallback URL, with
  // ErrorCode/ErrorUrl added and signed for that URL: same endpoint, then a second stage of the same API.
  const withError = { ...form, ErrorCode: '11205', ErrorUrl: t.url(path) };
  const [first, second] = await Promise.all([primary.deliver(form), primary.deliver(withError)]);
  const third = await twilioClient(secondStage.url(path)).deliver(withError);
  return [first, second, third].filter((r): r is DeliveryResult => r !== undefined);
}

describe('duplicate deliveries: N message ids × 3 deliveries', () => {
  it('queues exactly one message per MessageSid on WhatsApp and SMS, concurrent 503s succeeding on retry', async () => {
    // Prepare
    const whatsapp = await seedConversation(t, 'whatsapp');
    const sms = await seedConversation(t, 'sms');
    const plan: [SeededConversation, Pattern][] = [];
    for (let i = 0; i < 9; i++) {
      for (const pattern of ['concurrent', 'sequential', 'fallback'] as const) {
        plan.push([i % 3 === 2 ? sms : whatsapp, pattern]);
      }
    }
    const duplicatesBefore = (t.metrics.counts.get(OBSERVABILITY.metrics.duplicate) ?? 0) as number;

    // Act: six message ids at a time (18 deliveries in flight), all patterns interleaved
    const results: DeliveryResult[] = [];
    for (let i = 0; i < plan.length; i += 6) {
      const batch = plan.slice(i, i + 6);
      results.push(...(await Promise.all(batch.map(([c, pattern]) => threeDeliveries(c, pattern)))).flat());
    }

    // Assess
    const whatsappCopies = copiesById(await t.drain('whatsappReplies'));
    const smsCopies = copiesById(await t.drain('smsReplies'));
    const attempts = results.flatMap((r) => r.attempts);
    expect(results.filter((r) => !r.delivered).map((r) => r.attempts)).toEqual([]);
    expect(whatsappCopies.size).toBe(18);
    expect(smsCopies.size).toBe(9);
    expect([...whatsappCopies.values(), ...smsCopies.values()].every((n) => n === 1)).toBe(true);
    expect(attempts.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    const duplicatesAcknowledged = t.metrics.get(OBSERVABILITY.metrics.duplicate) - duplicatesBefore;
    expect(duplicatesAcknowledged).toBe(results.length - 27);
    recordFigures('duplicates', 'twilio', {
      messageIds: 27,
      deliveries: results.length,
      httpAttempts: attempts.length,
      answered503InProgress: attempts.filter((a) => a.status === 503).length,
      viaSecondStage: results.filter((r) => r.attempts.some((a) => a.url.startsWith(secondStage.url(''))))
        .length,
      duplicatesAcknowledged200: duplicatesAcknowledged,
      queued: whatsappCopies.size + smsCopies.size,
    });
  });

  it('queues exactly one email per Message-Id when Mailgun delivers it three times at once (each freshly signed)', async () => {
    // Prepare
    const conversations = await Promise.all([1, 2, 3, 4, 5, 6].map(() => seedConversation(t, 'email')));
    const statuses: number[] = [];
    const post = async (sender: string, messageId: string) => {
      const response = await postMailgunWebhook({
        url: t.url('/email'),
        signingKey: DEMO.signingKey,
        sender,
        recipient: DEMO.emailAddress,
        messageId,
        timestamp: Math.floor(t.clock.now().getTime() / 1000),
      });
      statuses.push(response.status);
      return response.status;
    };
    // Three copies at once; each one answered 503 (in progress) is posted again once the whole round has its
    // answers, so the attempt that held the claim has finished by then.
    const deliverThrice = async (sender: string, messageId: string) => {
      let copies = 3;
      for (let round = 0; copies > 0 && round < 6; round++) {
        const answers = await Promise.all(Array.from({ length: copies }, () => post(sender, messageId)));
        copies = answers.filter((status) => status !== 200).length;
      }
    };

    // Act
    await Promise.all(conversations.map((c) => deliverThrice(c.sender, emailMessageId())));

    // Assess
    const copies = copiesById(await t.drain('emailReplies'));
    expect(copies.size).toBe(6);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    expect(statuses.filter((s) => s === 200)).toHaveLength(18);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    recordFigures('duplicates', 'email', {
      messageIds: 6,
      deliveries: 18,
      httpAttempts: statuses.length,
      answered503InProgress: statuses.filter((s) => s === 503).length,
      queued: copies.size,
    });
  });
});

describe('how long a message id is remembered (documented bounds)', () => {
  it(`forgets a receipt once ${MAX_RECEIPTS} newer messages arrived on the same conversation`, async () => {
    // Prepare
    const conversation = await seedConversation(t, 'sms');
    const first = params(conversation);
    const filling = [await deliver(t, conversation, first)];
    for (let i = 0; i < MAX_RECEIPTS - 1; i++)
      filling.push(await deliver(t, conversation, params(conversation)));
    // Every one must hold a receipt before the count means anything: on a loaded machine a call can time out, and
    // the provider would redeliver it.
    await redeliverUntilAccepted(
      t,
      conversation,
      filling.filter((sent) => sent.status !== 200),
    );
    const stillRemembered = await deliver(t, conversation, first);
    await deliver(t, conversation, params(conversation));

    // Act
    const afterEviction = await deliver(t, conversation, first);

    // Assess
    expect([stillRemembered.status, afterEviction.status]).toEqual([200, 200]);
    const copies = copiesById(await t.drain('smsReplies'));
    expect(copies.get(first.MessageSid ?? '')).toBe(2);
    expect(copies.size).toBe(MAX_RECEIPTS + 1);
  });

  it('forgets a receipt after its retention (a week and an hour: Meta retries for 7 days), at the next message on that conversation', async () => {
    // Prepare
    const conversation = await seedConversation(t, 'whatsapp');
    const old = params(conversation);
    await deliver(t, conversation, old);
    t.clock.advance(RECEIPT_RETENTION_MS + 60_000);
    await deliver(t, conversation, params(conversation));

    // Act
    const redelivered = await deliver(t, conversation, old);

    // Assess
    expect(redelivered.status).toBe(200);
    expect(copiesById(await t.drain('whatsappReplies')).get(old.MessageSid ?? '')).toBe(2);
  });
});
