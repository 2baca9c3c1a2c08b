import { beforeEach, describe, expect, it } from 'vitest';
import { DependencyError } from '../../src/domain/errors.js';
import { DEMO } from '../../src/kit/demo-data.js';
import type { SignedRequest } from '../../src/kit/signed-request.js';
import { demoMailgunWebhook, demoTwilioWebhook, handleSigned } from '../fixtures/signed-events.js';
import {
  type FakeDependencies,
  fakeDependencies,
  seedFakeConversation,
} from '../helpers/fakes/fake-dependencies.js';

let deps: FakeDependencies;
beforeEach(() => {
  deps = fakeDependencies();
  seedFakeConversation(deps, 'whatsapp', DEMO.aiSender);
  seedFakeConversation(deps, 'email', DEMO.emailSender);
});

const post = (signed: SignedRequest) => handleSigned(deps, signed);

/** Nothing past the registry read: no conversation, queue, ledger or provider call. */
function expectUntouched() {
  expect(deps.conversations.faults.calls).toHaveLength(0);
  expect(deps.queue.messages).toHaveLength(0);
  expect(deps.ledger.faults.calls).toHaveLength(0);
  expect(deps.outbound.sent).toHaveLength(0);
}

describe('verification before any state is touched', () => {
  it('refuses a forged signature with a bare 403, after one rate-limited refresh', async () => {
    const response = await post(demoTwilioWebhook('whatsapp', {}, 'not-the-token'));

    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ message: 'Forbidden' });
    expect(deps.secrets.faults.count('refresh')).toBe(1);
    expectUntouched();
  });

  it('refuses an unknown recipient without reading any secret', async () => {
    const response = await post(demoTwilioWebhook('whatsapp', { To: 'whatsapp:+15005550006' }));

    expect(response.statusCode).toBe(403);
    expect(deps.secrets.faults.calls).toHaveLength(0);
    expectUntouched();
  });

  it('refuses a recipient registered for another channel', async () => {
    const response = await post(demoTwilioWebhook('whatsapp', { To: DEMO.smsNumber }));

    expect(response.statusCode).toBe(403);
    expect(deps.secrets.faults.calls).toHaveLength(0);
    expectUntouched();
  });

  it('answers 503 when the registry cannot be read', async () => {
    // What `CachedChannelRegistry` throws when DynamoDB fails (its own test covers the wrapping).
    deps.registry.faults.fail('find', { error: new DependencyError('registry') });

    const response = await post(demoTwilioWebhook('whatsapp'));

    expect(response.statusCode).toBe(503);
    expectUntouched();
  });

  it('rejects an oversized body with 413 before parsing it', async () => {
    const response = await post(demoTwilioWebhook('whatsapp', { Body: 'x'.repeat(70 * 1024) }));

    expect(response.statusCode).toBe(413);
    expect(deps.registry.faults.calls).toHaveLength(0);
  });
});

describe('secret rotation', () => {
  it('accepts the new token after one re-fetch when the cached token is the old one', async () => {
    deps.secrets.cache(DEMO.credentials.whatsapp, { account_sid: DEMO.accountSid, auth_token: 'old-token' });

    const response = await post(demoTwilioWebhook('whatsapp'));

    expect(response.statusCode).toBe(200);
    expect(deps.secrets.faults.count('refresh')).toBe(1);
    expect(deps.queue.messages).toHaveLength(1);
  });

  it('refuses a request signed with the retired token once the new one is cached', async () => {
    const response = await post(demoTwilioWebhook('whatsapp', {}, 'old-token'));

    expect(response.statusCode).toBe(403);
    expectUntouched();
  });

  it('accepts either token while previous_auth_token is set', async () => {
    deps.secrets.put(DEMO.credentials.whatsapp, {
      account_sid: DEMO.accountSid,
      auth_token: 'new-token',
      previous_auth_token: DEMO.authToken,
    });

    const old = await post(demoTwilioWebhook('whatsapp', {}, DEMO.authToken));
    const fresh = await post(demoTwilioWebhook('whatsapp', {}, 'new-token'));

    expect([old.statusCode, fresh.statusCode]).toEqual([200, 200]);
    expect(deps.secrets.faults.count('refresh')).toBe(0);
  });

  it('refuses without a second look when the refresh is rate-limited', async () => {
    deps.secrets.cache(DEMO.credentials.whatsapp, { account_sid: DEMO.accountSid, auth_token: 'old-token' });
    deps.secrets.refreshLimited = true;

    const response = await post(demoTwilioWebhook('whatsapp'));

    expect(response.statusCode).toBe(403);
    expectUntouched();
  });
});

describe('Mailgun token replay guard', () => {
  it('processes the same post again as a duplicate (a Mailgun retry keeps its token), queued once', async () => {
    const signed = await demoMailgunWebhook(deps.clock.now());

    const first = await post(signed);
    const retried = await post(signed);

    expect(first.statusCode).toBe(200);
    expect(retried.statusCode).toBe(200);
    expect(deps.queue.bodies('emailReplies')).toHaveLength(1);
  });

  it('refuses the same token with another message (403) and queues nothing for it', async () => {
    const token = 'b'.repeat(50);
    const first = await post(await demoMailgunWebhook(deps.clock.now(), { token, text: 'the real reply' }));

    const replayed = await post(await demoMailgunWebhook(deps.clock.now(), { token, text: 'forged text' }));

    expect(first.statusCode).toBe(200);
    expect(replayed.statusCode).toBe(403);
    expect(deps.queue.bodies('emailReplies')).toHaveLength(1);
  });

  it('answers 503 and claims nothing when the replay guard cannot be written', async () => {
    deps.replayGuard.faults.fail('claim');

    const response = await post(await demoMailgunWebhook(deps.clock.now()));

    expect(response.statusCode).toBe(503);
    expect(deps.conversations.faults.count('claimMessage')).toBe(0);
  });

  it('accepts a post signed 20 minutes before the clock, refuses one signed more than 12 hours before', async () => {
    const delayed = await demoMailgunWebhook(new Date(deps.clock.now().getTime() - 20 * 60_000));
    expect((await post(delayed)).statusCode).toBe(200);
    deps.replayGuard.faults.calls.length = 0;
    const signed = await demoMailgunWebhook(deps.clock.now());
    deps.clock.advance(12 * 3600_000 + 1_000);

    expect((await post(signed)).statusCode).toBe(403);
    expect(deps.replayGuard.faults.calls).toHaveLength(0);
  });
});
