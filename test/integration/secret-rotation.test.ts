import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { DEMO_SECRETS_FILE } from '../../src/local/local-stack.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

let t: TestStack;
let dir: string;
let secretsFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotation-'));
  secretsFile = join(dir, 'secrets.json');
  await writeFile(secretsFile, await readFile(DEMO_SECRETS_FILE, 'utf8'));
  t = await startTestStack({ secretsFile });
});
afterAll(async () => {
  await t.stop();
  await rm(dir, { recursive: true, force: true });
});

const params = () =>
  inboundParams({ From: `whatsapp:${DEMO.aiSender}`, To: DEMO.whatsappNumber, AccountSid: DEMO.accountSid });
const send = (authToken: string) =>
  postTwilioWebhook({ url: t.url('/whatsapp'), authToken, params: params() });

async function rotate(secret: Record<string, string>): Promise<void> {
  const all = JSON.parse(await readFile(secretsFile, 'utf8'));
  all[DEMO.credentials.whatsapp] = secret;
  await writeFile(secretsFile, JSON.stringify(all));
}

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
