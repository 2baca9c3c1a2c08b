import { beforeEach, describe, expect, it } from 'vitest';
import { IN_PROGRESS_MS } from '../../src/app/process-webhook.js';
import { receiptAttribute } from '../../src/domain/receipts.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { OBSERVABILITY } from '../../src/resources.js';
import { demoTwilioStatus, demoTwilioWebhook, handleSigned } from '../fixtures/signed-events.js';
import { messageSid } from '../fixtures/twilio-webhooks.js';
import {
  type FakeDependencies,
  fakeDependencies,
  seedFakeConversation,
} from '../helpers/fakes/fake-dependencies.js';

const M = OBSERVABILITY.metrics;
const KEY = { primary_channel: DEMO.aiSender, conversation_id: 'conv-whatsapp-1' };

let deps: FakeDependencies;
beforeEach(() => {
  deps = fakeDependencies();
  seedFakeConversation(deps, 'whatsapp', DEMO.aiSender);
});

function post(sid: string = messageSid(), overrides: Record<string, string> = {}) {
  return handleSigned(deps, demoTwilioWebhook('whatsapp', { MessageSid: sid, ...overrides }));
}

const receipt = (sid: string) => deps.conversations.get(KEY)?.receipts[receiptAttribute(sid)];

describe('processWebhook with in-memory ports', () => {
  it('queues an AI reply once, marks the receipt done and acknowledges with TwiML', async () => {
    const sid = messageSid();

    const response = await post(sid);

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<Response>');
    const [context] = deps.queue.bodies('whatsappReplies');
    expect(context).toMatchObject({ conversation: { conversation_id: 'conv-whatsapp-1' } });
    expect(deps.queue.messages).toHaveLength(1);
    expect(deps.queue.messages[0]?.attributes.message_id).toBe(sid);
    expect(receipt(sid)).toBe(-deps.clock.now().getTime());
    expect(deps.conversations.get(KEY)?.message_seq).toBe(1);
  });

  it('sends a handed-off conversation to the handoff queue', async () => {
    deps = fakeDependencies();
    seedFakeConversation(deps, 'whatsapp', DEMO.aiSender, { handoff: true });

    expect((await post()).statusCode).toBe(200);
    expect(deps.queue.messages.map((m) => m.queue)).toEqual(['handoff']);
  });

  it('acknowledges a redelivery of a finished message without queueing it again', async () => {
    const sid = messageSid();
    await post(sid);

    const again = await post(sid);

    expect(again.statusCode).toBe(200);
    expect(deps.queue.messages).toHaveLength(1);
    expect(deps.metrics.get(M.duplicate)).toBe(1);
  });

  it('answers 503 while another attempt holds the claim, and takes it over once that claim has expired', async () => {
    const sid = messageSid();
    const otherUntil = deps.clock.now().getTime() + IN_PROGRESS_MS;
    deps.conversations.setReceipt(KEY, receiptAttribute(sid), otherUntil);

    const busy = await post(sid);
    deps.clock.advance(IN_PROGRESS_MS + 1);
    const later = await post(sid);

    expect(busy.statusCode).toBe(503);
    expect(later.statusCode).toBe(200);
    expect(deps.queue.messages).toHaveLength(1);
  });

  it('answers 503 when another attempt claims between the read and the write, and leaves its claim alone', async () => {
    const sid = messageSid();
    const otherUntil = deps.clock.now().getTime() + IN_PROGRESS_MS + 0.5;
    deps.conversations.afterNextRead(() =>
      deps.conversations.setReceipt(KEY, receiptAttribute(sid), otherUntil),
    );

    const response = await post(sid);

    expect(response.statusCode).toBe(503);
    expect(deps.queue.messages).toHaveLength(0);
    expect(receipt(sid)).toBe(otherUntil);
  });

  it('answers 503 and queues nothing when the conversation is deleted before the claim (gone)', async () => {
    deps.conversations.afterNextRead(() => deps.conversations.delete(KEY));

    const response = await post();

    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body)).toEqual({ message: 'Service temporarily unavailable, please retry' });
    expect(deps.queue.messages).toHaveLength(0);
  });

  it('releases its claim when the queue fails, so the provider retry is processed at once', async () => {
    const sid = messageSid();
    deps.queue.faults.fail('send');

    const failed = await post(sid);
    const claimAfterFailure = receipt(sid);
    const retry = await post(sid);

    expect(failed.statusCode).toBe(503);
    expect(failed.headers?.['Retry-After']).toBe('1');
    expect(claimAfterFailure).toBeUndefined();
    expect(retry.statusCode).toBe(200);
    expect(deps.queue.messages).toHaveLength(1);
  });

  it('releases a claim that landed although the claim call failed', async () => {
    const sid = messageSid();
    deps.conversations.faults.fail('claimMessage', { timing: 'after' });

    const failed = await post(sid);

    expect(failed.statusCode).toBe(503);
    expect(deps.conversations.faults.count('releaseMessage')).toBe(1);
    expect(receipt(sid)).toBeUndefined();
    expect((await post(sid)).statusCode).toBe(200);
  });

  it('still answers 503 when the release fails too; the claim then expires on its own', async () => {
    const sid = messageSid();
    deps.queue.faults.fail('send');
    deps.conversations.faults.fail('releaseMessage');

    const failed = await post(sid);
    const blocked = await post(sid);
    deps.clock.advance(IN_PROGRESS_MS + 1);
    const recovered = await post(sid);

    expect([failed.statusCode, blocked.statusCode, recovered.statusCode]).toEqual([503, 503, 200]);
    expect(deps.logger.messages()).toContain('claim release failed; it expires on its own');
    expect(deps.queue.messages).toHaveLength(1);
  });

  it('keeps the 200 when marking the receipt done fails after the message is queued', async () => {
    deps.conversations.faults.fail('completeMessage');

    const response = await post();

    expect(response.statusCode).toBe(200);
    expect(deps.queue.messages).toHaveLength(1);
    expect(deps.logger.messages()).toContain('receipt completion failed; a retry may enqueue a duplicate');
  });

  it('answers 503 without claiming when the conversation read fails', async () => {
    deps.conversations.faults.fail('findBySender');

    const response = await post();

    expect(response.statusCode).toBe(503);
    expect(deps.conversations.faults.count('claimMessage')).toBe(0);
    expect(deps.queue.messages).toHaveLength(0);
  });

  it('acknowledges a status callback without reading or writing any conversation', async () => {
    // A status callback names the company channel in From; the registry lookup uses it.
    const response = await handleSigned(deps, demoTwilioStatus('whatsapp'));

    expect(response.statusCode).toBe(200);
    expect(deps.conversations.faults.calls).toHaveLength(0);
    expect(deps.queue.messages).toHaveLength(0);
    expect(deps.metrics.get(M.statusCallback)).toBe(1);
  });
});
