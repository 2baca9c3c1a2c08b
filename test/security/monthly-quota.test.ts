import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/local/demo-data.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { seedConversation } from '../helpers/conversations.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({ monthlyQuota: 50 });
});
afterAll(async () => {
  await t.stop();
});

const junk = (path: string) =>
  fetch(t.url(path), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': 'bm90LXNpZ25lZA==',
    },
    body: `recipient=${encodeURIComponent(DEMO.emailAddress)}&From=whatsapp:%2B447700900999&To=${encodeURIComponent(DEMO.whatsappNumber)}`,
  });

describe('attack: anonymous junk against the monthly quota (MONTHLY_QUOTA=50)', () => {
  it('60 junk POSTs to /email and /whatsapp leave the quota untouched: a signed webhook still gets 200', async () => {
    for (let i = 0; i < 60; i++) {
      const [email, whatsapp] = await Promise.all([junk('/email'), junk('/whatsapp')]);
      expect(email.status).toBe(403);
      expect(whatsapp.status).toBe(403);
    }
    const conversation = await seedConversation(t, 'whatsapp');

    const genuine = await postTwilioWebhook({
      url: t.url('/whatsapp'),
      authToken: DEMO.authToken,
      params: inboundParams({ From: conversation.from, To: conversation.to, AccountSid: DEMO.accountSid }),
    });

    expect(genuine.status).toBe(200);
  });

  it('still enforces the quota on verified webhooks: the 51st verified webhook of the month gets 429', async () => {
    const conversation = await seedConversation(t, 'whatsapp');
    const send = () =>
      postTwilioWebhook({
        url: t.url('/whatsapp'),
        authToken: DEMO.authToken,
        params: inboundParams({ From: conversation.from, To: conversation.to, AccountSid: DEMO.accountSid }),
      });
    // One verified webhook was counted by the test above.
    for (let i = 0; i < 49; i++) expect((await send()).status).toBe(200);

    const over = await send();

    expect(over.status).toBe(429);
    expect(JSON.parse(over.body)).toEqual({ message: 'Limit Exceeded' });
  });
});

describe('the quota counter is amortised (seed quota, 50,000)', () => {
  let seed: TestStack;
  beforeAll(async () => {
    seed = await startTestStack({ monthlyQuota: 50_000 });
  });
  afterAll(async () => {
    await seed.stop();
  });

  it('adds 2 calls to 100 accepted webhooks (0.02 per webhook: 4.02 instead of 4), and none to forged ones', async () => {
    const conversation = await seedConversation(seed, 'whatsapp');
    const send = (signature?: string) =>
      postTwilioWebhook({
        url: seed.url('/whatsapp'),
        authToken: DEMO.authToken,
        params: inboundParams({ From: conversation.from, To: conversation.to, AccountSid: DEMO.accountSid }),
        ...(signature ? { signature } : {}),
      });
    await send(); // warms the registry and secret caches
    seed.dynamoProxy.reset();
    seed.sqsProxy.reset();

    for (let i = 0; i < 100; i++) expect((await send()).status).toBe(200);
    const accepted = seed.dynamoProxy.count() + seed.sqsProxy.count();
    seed.dynamoProxy.reset();
    seed.sqsProxy.reset();
    for (let i = 0; i < 100; i++) expect((await send('bm90LXNpZ25lZA==')).status).toBe(403);

    expect(accepted).toBe(402);
    expect(seed.dynamoProxy.count() + seed.sqsProxy.count()).toBe(0);
  });
});
