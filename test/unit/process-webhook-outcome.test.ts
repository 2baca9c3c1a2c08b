import { beforeEach, describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/app/outcome.js';
import { IN_PROGRESS_MS } from '../../src/app/process-webhook.js';
import { DependencyError, ForbiddenError, InProgressError } from '../../src/domain/errors.js';
import { receiptAttribute } from '../../src/domain/receipts.js';
import { DEMO } from '../../src/kit/demo-data.js';
import type { SignedRequest } from '../../src/kit/signed-request.js';
import type { TwilioChannel } from '../../src/kit/twilio-webhook.js';
import { demoMailgunWebhook, demoTwilioStatus, demoTwilioWebhook } from '../fixtures/signed-events.js';
import { messageSid } from '../fixtures/twilio-webhooks.js';
import { processOne, toWebhookRequest } from '../fixtures/webhook-request.js';
import {
  DEMO_SECRETS,
  type FakeDependencies,
  fakeDependencies,
  seedFakeConversation,
} from '../helpers/fakes/fake-dependencies.js';

/**
 * The use case alone, over in-memory ports only (no HTTP, no emulator): what it returns for each kind of webhook,
 * and what it throws (and leaves behind) when a step fails. The HTTP mapping is tested in outcome-response.test.ts.
 */
const KEY = { primary_channel: DEMO.aiSender, conversation_id: 'conv-whatsapp-1' };
const STRANGER = '+447700900999';

let deps: FakeDependencies;
beforeEach(() => {
  deps = fakeDependencies();
  seedFakeConversation(deps, 'whatsapp', DEMO.aiSender);
});

function run(signed: SignedRequest, channel: 'whatsapp' | 'sms' | 'email' = 'whatsapp'): Promise<Outcome> {
  const request = toWebhookRequest(signed, channel, deps.clock.now());
  return processOne(request, deps);
}

const inbound = (overrides: Record<string, string> = {}, channel: TwilioChannel = 'whatsapp') =>
  run(demoTwilioWebhook(channel, overrides), channel);
const fromStranger = (overrides: Record<string, string> = {}) =>
  inbound({ From: `whatsapp:${STRANGER}`, ...overrides });
const receipt = (sid: string) => deps.conversations.get(KEY)?.receipts[receiptAttribute(sid)];

describe('processWebhook returns what it did', () => {
  it('queued: an AI reply, with its queue, route, context and the sender as judged', async () => {
    const sid = messageSid();

    const outcome = await inbound({ MessageSid: sid });

    expect(outcome).toMatchObject({
      kind: 'queued',
      queue: 'whatsappReplies',
      route: 'ai',
      sender: { trusted: true },
      context: { meta: { channel_type: 'whatsapp' }, conversation: { conversation_id: 'conv-whatsapp-1' } },
    });
    expect(outcome).not.toHaveProperty('reason');
    expect(deps.queue.bodies('whatsappReplies')).toEqual([
      JSON.parse(JSON.stringify((outcome as { context: unknown }).context)),
    ]);
    expect(receipt(sid)).toBe(-deps.clock.now().getTime());
  });

  it('queued: a handed-off conversation goes to the handoff queue with its reason', async () => {
    seedFakeConversation(deps, 'whatsapp', DEMO.aiSender, { handoff: true });

    expect(await inbound()).toMatchObject({ kind: 'queued', queue: 'handoff', reason: 'hand_off_to_human' });
  });

  it('queued: STOP in a conversation is handed off and carries the opt-out it stored', async () => {
    const outcome = await inbound({ Body: 'STOP' });

    expect(outcome).toMatchObject({ kind: 'queued', queue: 'handoff', reason: 'opt_out', optedOut: true });
    expect(deps.conversations.get(KEY)?.opted_out).toBe(true);
  });

  it('queued: an email sender the provider could not authenticate goes to a human, never the AI', async () => {
    seedFakeConversation(deps, 'email', DEMO.emailSender);
    const signed = await demoMailgunWebhook(deps.clock.now(), {
      verdicts: { 'X-Mailgun-Spf': 'Fail', 'X-Mailgun-Dkim-Check-Result': 'Fail', 'X-Mailgun-Sflag': 'No' },
    });

    const outcome = await run(signed, 'email');

    expect(outcome).toMatchObject({
      kind: 'queued',
      queue: 'handoff',
      reason: 'sender_unverified',
      sender: { trusted: false, reason: 'sender_unverified' },
    });
  });

  it('duplicate: a redelivery of a finished message, decided from the receipts read', async () => {
    const sid = messageSid();
    await inbound({ MessageSid: sid });

    const again = await inbound({ MessageSid: sid });

    expect(again).toEqual({ kind: 'duplicate', sender: { trusted: true } });
    expect(deps.conversations.faults.count('claimMessage')).toBe(1);
    expect(deps.queue.messages).toHaveLength(1);
  });

  it('duplicate: the claim finds the message finished by a concurrent delivery since the read', async () => {
    const sid = messageSid();
    deps.conversations.afterNextRead(() =>
      deps.conversations.setReceipt(KEY, receiptAttribute(sid), -deps.clock.now().getTime()),
    );

    expect(await inbound({ MessageSid: sid })).toEqual({ kind: 'duplicate', sender: { trusted: true } });
    expect(deps.queue.messages).toHaveLength(0);
  });

  it('status-callback: acknowledged without reading any conversation', async () => {
    expect(await run(demoTwilioStatus('whatsapp'))).toEqual({ kind: 'status-callback' });
    expect(deps.conversations.faults.calls).toHaveLength(0);
  });

  it('unknown-sender: the fallback result, sent then already-sent within the window', async () => {
    const first = await fromStranger();
    const second = await fromStranger();

    expect(first).toEqual({ kind: 'unknown-sender', fallback: 'sent', sender: { trusted: true } });
    expect(second).toMatchObject({ kind: 'unknown-sender', fallback: 'already-sent' });
    expect(deps.outbound.sent).toHaveLength(1);
  });

  it('unknown-sender: failed when the provider refuses, and the slot is released', async () => {
    deps.outbound.faults.fail('send');

    expect(await fromStranger()).toMatchObject({ kind: 'unknown-sender', fallback: 'failed' });
    expect(deps.ledger.faults.count('release')).toBe(1);
  });

  it('unknown-sender: failed (still acknowledged) when the fallback ledger cannot be written', async () => {
    deps.ledger.faults.fail('claim');

    expect(await fromStranger()).toMatchObject({ kind: 'unknown-sender', fallback: 'failed' });
    expect(deps.outbound.sent).toHaveLength(0);
  });

  it('unknown-sender: suppressed for a sender who opted out on this channel in a closed conversation', async () => {
    seedFakeConversation(deps, 'whatsapp', STRANGER, { status: 'closed', optedOut: true });

    expect(await fromStranger()).toMatchObject({ kind: 'unknown-sender', fallback: 'suppressed' });
    expect(deps.ledger.faults.count('claim')).toBe(0);
  });

  it('opt-out: STOP then START from a sender with no conversation, remembered on the ledger', async () => {
    const stop = await fromStranger({ Body: 'STOP', MessageSid: messageSid() });
    const optedOutSlots = deps.ledger.optedOut.size;
    const start = await fromStranger({ Body: 'START', MessageSid: messageSid() });

    expect(stop).toEqual({ kind: 'opt-out', optedOut: true, sender: { trusted: true } });
    expect(start).toEqual({ kind: 'opt-out', optedOut: false, sender: { trusted: true } });
    expect([optedOutSlots, deps.ledger.optedOut.size]).toEqual([1, 0]);
    expect(deps.outbound.sent).toHaveLength(0);
  });
});

describe('processWebhook failures: thrown, nothing queued, no claim left behind', () => {
  it('opt-out: a ledger failure is a 503, so the provider retries rather than the opt-out being lost', async () => {
    deps.ledger.faults.fail('setOptOut');

    await expect(fromStranger({ Body: 'STOP' })).rejects.toBeInstanceOf(DependencyError);
  });

  it('in progress: another attempt holds the claim (seen in the receipts read)', async () => {
    const sid = messageSid();
    deps.conversations.setReceipt(KEY, receiptAttribute(sid), deps.clock.now().getTime() + IN_PROGRESS_MS);

    await expect(inbound({ MessageSid: sid })).rejects.toBeInstanceOf(InProgressError);
    expect(deps.conversations.faults.count('claimMessage')).toBe(0);
  });

  it('in progress: another attempt claimed between the read and the claim', async () => {
    const sid = messageSid();
    const other = deps.clock.now().getTime() + IN_PROGRESS_MS + 0.25;
    deps.conversations.afterNextRead(() => deps.conversations.setReceipt(KEY, receiptAttribute(sid), other));

    await expect(inbound({ MessageSid: sid })).rejects.toBeInstanceOf(InProgressError);
    expect(receipt(sid)).toBe(other);
  });

  it('claim gone: the conversation was deleted before the claim', async () => {
    deps.conversations.afterNextRead(() => deps.conversations.delete(KEY));

    await expect(inbound()).rejects.toEqual(new DependencyError('conversations'));
    expect(deps.queue.messages).toHaveLength(0);
  });

  it('claim call failed after it landed: the claim is released', async () => {
    const sid = messageSid();
    deps.conversations.faults.fail('claimMessage', { timing: 'after' });

    await expect(inbound({ MessageSid: sid })).rejects.toBeInstanceOf(DependencyError);
    expect(deps.conversations.faults.count('releaseMessage')).toBe(1);
    expect(receipt(sid)).toBeUndefined();
  });

  it('queue failure: the claim is released so the retry is processed at once', async () => {
    const sid = messageSid();
    deps.queue.faults.fail('send');

    await expect(inbound({ MessageSid: sid })).rejects.toBeInstanceOf(DependencyError);
    expect(receipt(sid)).toBeUndefined();
    expect(await inbound({ MessageSid: sid })).toMatchObject({ kind: 'queued' });
  });

  it('queue and release both fail: the claim stays until it expires', async () => {
    const sid = messageSid();
    deps.queue.faults.fail('send');
    deps.conversations.faults.fail('releaseMessage');

    await expect(inbound({ MessageSid: sid })).rejects.toBeInstanceOf(DependencyError);
    expect(receipt(sid)).toBeGreaterThan(deps.clock.now().getTime());
    expect(deps.logger.messages()).toContain('claim release failed; it expires on its own');
  });

  it('completion failure after queueing: still queued (only the duplicate window widens)', async () => {
    deps.conversations.faults.fail('completeMessage');

    expect(await inbound()).toMatchObject({ kind: 'queued' });
    expect(deps.logger.messages()).toContain('receipt completion failed; a retry may enqueue a duplicate');
  });

  it('conversation read failure: nothing claimed', async () => {
    deps.conversations.faults.fail('findBySender');

    await expect(inbound()).rejects.toBeInstanceOf(DependencyError);
    expect(deps.conversations.faults.count('claimMessage')).toBe(0);
  });

  it('secret rotation: the cached old token fails, one refresh finds the new one', async () => {
    const rotated = { ...DEMO_SECRETS.twilio, auth_token: 'new-token-after-rotation' };
    deps.secrets.cache(DEMO.credentials.whatsapp, DEMO_SECRETS.twilio);
    deps.secrets.put(DEMO.credentials.whatsapp, rotated);

    const outcome = await run(demoTwilioWebhook('whatsapp', {}, rotated.auth_token));

    expect(outcome).toMatchObject({ kind: 'queued' });
    expect(deps.secrets.faults.count('refresh')).toBe(1);
  });

  it('secret rotation: no second look when the refresh is rate-limited (forged)', async () => {
    deps.secrets.refreshLimited = true;

    await expect(run(demoTwilioWebhook('whatsapp', {}, 'not-the-token'))).rejects.toEqual(
      new ForbiddenError('signature'),
    );
    expect(deps.conversations.faults.calls).toHaveLength(0);
  });

  it('quota: an AI-bound message over the monthly budget goes to HandoffQueue as quota_exceeded, and is not refused', async () => {
    const spent: Date[] = [];
    const overBudget = {
      ...deps,
      quota: { allows: () => false, spend: async (now: Date) => void spent.push(now) },
    };
    const request = toWebhookRequest(demoTwilioWebhook('whatsapp'), 'whatsapp', deps.clock.now());

    const outcome = await processOne(request, overBudget);

    expect(outcome).toMatchObject({
      kind: 'queued',
      queue: 'handoff',
      route: 'handoff',
      reason: 'quota_exceeded',
    });
    expect(deps.queue.bodies('handoff')[0]).toMatchObject({
      processing: { route: 'handoff', handoff_reason: 'quota_exceeded' },
    });
    expect(spent).toEqual([]);
  });
});
