import { beforeEach, describe, expect, it } from 'vitest';
import { FALLBACK_WINDOW_SECONDS } from '../../src/app/handle-unknown-sender.js';
import { createHandler } from '../../src/http/create-handler.js';
import { DEMO } from '../../src/kit/demo-data.js';
import type { TwilioChannel } from '../../src/kit/twilio-webhook.js';
import { OBSERVABILITY } from '../../src/resources.js';
import { demoTwilioWebhook, HOOKS_BASE_URL, signedEvent } from '../fixtures/signed-events.js';
import {
  type FakeDependencies,
  fakeDependencies,
  seedFakeConversation,
} from '../helpers/fakes/fake-dependencies.js';

const M = OBSERVABILITY.metrics;
const STRANGER = '+447700900999';

let deps: FakeDependencies;
beforeEach(() => {
  deps = fakeDependencies();
});

function fromStranger(channel: TwilioChannel = 'whatsapp', overrides: Record<string, string> = {}) {
  const from = channel === 'whatsapp' ? `whatsapp:${STRANGER}` : STRANGER;
  const handler = createHandler(deps, { webhookBaseUrl: HOOKS_BASE_URL, corsAllowOrigin: '*' });
  return handler(signedEvent(demoTwilioWebhook(channel, { From: from, ...overrides })));
}

describe('unknown senders: one courtesy reply per 24 h, and always a 200', () => {
  it('sends one reply, then none within the window, then one more after it', async () => {
    const first = await fromStranger();
    await fromStranger();
    deps.clock.advance((FALLBACK_WINDOW_SECONDS + 1) * 1000);
    await fromStranger();

    expect(first.statusCode).toBe(200);
    expect(deps.outbound.sent).toHaveLength(2);
    expect(deps.outbound.sent[0]?.message).toMatchObject({ channel: 'whatsapp', to: `whatsapp:${STRANGER}` });
    expect(deps.outbound.sent[0]?.credentials).toMatchObject({ auth_token: DEMO.authToken });
    expect(deps.metrics.get(M.fallbackSent)).toBe(2);
    expect(deps.queue.messages).toHaveLength(0);
  });

  it('releases the slot when the provider call fails, so the next message sends', async () => {
    deps.outbound.faults.fail('send');

    const failed = await fromStranger();
    const next = await fromStranger();

    expect([failed.statusCode, next.statusCode]).toEqual([200, 200]);
    expect(deps.ledger.faults.count('release')).toBe(1);
    expect(deps.outbound.sent).toHaveLength(1);
    expect(deps.metrics.get(M.fallbackFailed)).toBe(1);
  });

  it('answers 200 and sends nothing when the ledger cannot be written', async () => {
    deps.ledger.faults.fail('claim');

    const response = await fromStranger();

    expect(response.statusCode).toBe(200);
    expect(deps.outbound.faults.calls).toHaveLength(0);
    expect(deps.metrics.get(M.fallbackFailed)).toBe(1);
  });

  it('logs, and keeps the 200, when releasing the slot fails after a failed send', async () => {
    deps.outbound.faults.fail('send');
    deps.ledger.faults.fail('release');

    const response = await fromStranger();

    expect(response.statusCode).toBe(200);
    expect(deps.logger.messages()).toContain('fallback ledger release failed; slot expires in 24 h');
  });

  it('never replies to STOP, nor to a sender who opted out on this channel (even in a closed conversation)', async () => {
    await fromStranger('whatsapp', { Body: 'STOP' });
    seedFakeConversation(deps, 'sms', STRANGER, { status: 'closed', optedOut: true });
    await fromStranger('sms');

    // The STOP is remembered for the sender (an opt-out outlives the 24 h slot); no fallback slot is ever claimed.
    expect(deps.ledger.faults.calls.map((c) => c.method)).toEqual(['setOptOut']);
    expect(deps.outbound.sent).toHaveLength(0);
    expect(deps.metrics.get(M.unknownSender)).toBe(2);
  });

  it('answers an SMS stranger from the SMS number', async () => {
    await fromStranger('sms');

    expect(deps.outbound.sent[0]?.message).toMatchObject({
      channel: 'sms',
      from: DEMO.smsNumber,
      to: STRANGER,
    });
  });
});
