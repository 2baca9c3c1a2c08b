import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FORM_LIMITS } from '../../src/domain/form-body.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { inboundParams, twilioSignature } from '../fixtures/twilio-webhooks.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t.stop();
});
beforeEach(() => {
  t.dynamoProxy.reset();
  t.sqsProxy.reset();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(t.url(path), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });

describe('attack: 400,000 urlencoded pairs before verification', () => {
  it('refuses /email with a 400 at the field limit, before any AWS call', async () => {
    const body = `recipient=${encodeURIComponent(DEMO.emailAddress)}&${'a=1&'.repeat(400_000)}`;

    const response = await post('/email', body);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'Too many fields in form body' });
    expect(t.dynamoProxy.calls).toEqual([]);
    expect(t.sqsProxy.calls).toEqual([]);
  });

  it('refuses a Twilio form with more pairs than the limit on /whatsapp, before any AWS call', async () => {
    const params = inboundParams({
      From: `whatsapp:${DEMO.aiSender}`,
      To: DEMO.whatsappNumber,
      AccountSid: DEMO.accountSid,
    });
    const body = `${new URLSearchParams(params).toString()}&${'x=1&'.repeat(FORM_LIMITS.pairs)}`;

    const response = await post('/whatsapp', body, {
      'X-Twilio-Signature': twilioSignature(DEMO.authToken, t.url('/whatsapp'), params),
    });

    expect(response.status).toBe(400);
    expect(t.dynamoProxy.calls).toEqual([]);
  });
});
