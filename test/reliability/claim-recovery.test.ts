import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({ awsCallTimeoutMs: 300 });
});
afterAll(async () => {
  await t.stop();
});

const params = () =>
  inboundParams({ From: `whatsapp:${DEMO.aiSender}`, To: DEMO.whatsappNumber, AccountSid: DEMO.accountSid });
const send = (form: Record<string, string>) =>
  postTwilioWebhook({ url: t.url('/whatsapp'), authToken: DEMO.authToken, params: form });

/** Lets the first `count` claim writes (the UpdateItem carrying `message_seq`) through the fault, no others. */
function firstClaims(count: number): void {
  let seen = 0;
  t.dynamoProxy.faultFilter = (call) =>
    call.operation === 'UpdateItem' && call.body.includes('message_seq') && seen++ < count;
}

describe('claims whose write outcome was unknown', () => {
  it.each([
    // The SDK's retry of the lost write finds this attempt's own claim value.
    ['recognises its own claim when the answer to the write was lost, and queues the message once', 1, 200],
    // The claim lands, then both the answer and the SDK's retry fail: the release must remove it.
    [
      "releases a claim that landed although the call failed, so the provider's retry succeeds at once",
      2,
      503,
    ],
  ] as const)('%s', async (_, lostAnswers, firstStatus) => {
    // Prepare
    firstClaims(lostAnswers);
    t.dynamoProxy.mode = { kind: 'drop-response' };
    const form = params();

    // Act
    const first = await send(form);
    t.dynamoProxy.mode = { kind: 'pass' };
    t.dynamoProxy.faultFilter = undefined;
    const retry = await send(form);

    // Assess
    expect(first.status).toBe(firstStatus);
    expect(retry.status).toBe(200);
    const queued = (await t.drain('whatsappReplies')) as { message: { message_id: string } }[];
    expect(queued.map((m) => m.message.message_id)).toEqual([form.MessageSid]);
  });
});
