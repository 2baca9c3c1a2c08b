import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/local/demo-data.js';
import { inboundParams, postTwilioWebhook } from '../helpers/fixtures/twilio-webhooks.js';
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

/** Lets exactly the first claim write (the UpdateItem carrying `message_seq`) through the given fault. */
function firstClaimOnly(): void {
  let seen = 0;
  t.dynamoProxy.faultFilter = (call) =>
    call.operation === 'UpdateItem' && call.body.includes('message_seq') && seen++ === 0;
}

describe('claims whose write outcome was unknown', () => {
  it('recognises its own claim when the answer to the write was lost, and queues the message once', async () => {
    // Prepare
    firstClaimOnly();
    t.dynamoProxy.mode = { kind: 'drop-response' };
    const form = params();

    // Act
    const response = await send(form);
    t.dynamoProxy.mode = { kind: 'pass' };
    t.dynamoProxy.faultFilter = undefined;
    const retry = await send(form);

    // Assess
    expect(response.status).toBe(200);
    expect(retry.status).toBe(200);
    const queued = (await t.drain('whatsappReplies')) as { message: { message_id: string } }[];
    expect(queued.map((m) => m.message.message_id)).toEqual([form.MessageSid]);
  });

  it("releases a claim that landed although the call failed, so the provider's retry succeeds at once", async () => {
    // Prepare: the claim lands, then both the answer and the SDK's retry fail.
    let claims = 0;
    t.dynamoProxy.faultFilter = (call) =>
      call.operation === 'UpdateItem' && call.body.includes('message_seq') && claims++ < 2;
    t.dynamoProxy.mode = { kind: 'drop-response' };
    const form = params();

    // Act
    const first = await send(form);
    t.dynamoProxy.mode = { kind: 'pass' };
    t.dynamoProxy.faultFilter = undefined;
    const retry = await send(form);

    // Assess
    expect(first.status).toBe(503);
    expect(retry.status).toBe(200);
    expect(await t.drain('whatsappReplies')).toHaveLength(1);
  });
});
