import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { useDemoSecretsCopy } from '../helpers/secrets-copy.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

const secrets = useDemoSecretsCopy('rotation-');
let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ secretsFile: secrets.file });
});
afterAll(async () => {
  await t.stop();
});

const params = () =>
  inboundParams({ From: `whatsapp:${DEMO.aiSender}`, To: DEMO.whatsappNumber, AccountSid: DEMO.accountSid });
const send = (authToken: string) =>
  postTwilioWebhook({ url: t.url('/whatsapp'), authToken, params: params() });

const rotate = (secret: Record<string, string>) => secrets.set(DEMO.credentials.whatsapp, secret);

describe('auth token rotation', () => {
  it('accepts the new token after a rotation via one re-fetch, and rejects the retired one', async () => {
    expect((await send(DEMO.authToken)).status).toBe(200);
    await rotate({ account_sid: DEMO.accountSid, auth_token: 'rotated-token' });
    t.clock.advance(61_000);

    const withNew = await send('rotated-token');
    const withOld = await send(DEMO.authToken);

    expect(withNew.status).toBe(200);
    expect(withOld.status).toBe(403);
    expect(await t.drain('whatsappReplies')).toHaveLength(2);
  });

  it('accepts both tokens while previous_auth_token is set (overlap window)', async () => {
    await rotate({
      account_sid: DEMO.accountSid,
      auth_token: 'third-token',
      previous_auth_token: 'rotated-token',
    });
    t.clock.advance(61_000);

    const withNew = await send('third-token');
    const withPrevious = await send('rotated-token');

    expect([withNew.status, withPrevious.status]).toEqual([200, 200]);
    await t.drain('whatsappReplies');
  });
});
