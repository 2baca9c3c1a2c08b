import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { OBSERVABILITY } from '../../src/resources.js';
import { AUTHENTICATED_VERDICTS, postMailgunWebhook } from '../fixtures/mailgun-webhooks.js';
import { inboundParams, messageSid, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import type { QueuedContext } from '../helpers/context-schema.js';
import { seedConversation } from '../helpers/conversations.js';
import { useTestStack } from '../helpers/test-stack.js';

const t = useTestStack({ monthlyQuota: 50 });

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
});

describe('the quota is the AI budget (MONTHLY_QUOTA=3): it never refuses, people take over', () => {
  const q = useTestStack({ monthlyQuota: 3 });

  it('spam, unknown senders and duplicates count nothing; the 4th and 5th AI-bound messages go to HandoffQueue', async () => {
    // Prepare: spam from a known conversation (a human reads it), strangers on both channels.
    const email = await seedConversation(q, 'email');
    const whatsapp = await seedConversation(q, 'whatsapp');
    const mail = (sender: string, verdicts?: Record<string, string>) =>
      postMailgunWebhook({
        url: q.url('/email'),
        signingKey: DEMO.signingKey,
        sender,
        recipient: DEMO.emailAddress,
        ...(verdicts ? { verdicts } : {}),
      });
    const twilio = (from: string, sid?: string) =>
      postTwilioWebhook({
        url: q.url('/whatsapp'),
        authToken: DEMO.authToken,
        params: inboundParams({
          From: from,
          To: whatsapp.to,
          AccountSid: DEMO.accountSid,
          ...(sid ? { MessageSid: sid } : {}),
        }),
      });
    const spam = { ...AUTHENTICATED_VERDICTS, 'X-Mailgun-Sflag': 'Yes' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await mail(email.sender, spam)).status);
    for (let i = 0; i < 4; i++) statuses.push((await mail(`stranger-${i}@example.org`)).status);
    for (let i = 0; i < 4; i++) statuses.push((await twilio(`whatsapp:+4477009001${i}0`)).status);
    const first = messageSid();
    statuses.push((await twilio(whatsapp.from, first)).status);
    for (let i = 0; i < 3; i++) statuses.push((await twilio(whatsapp.from, first)).status);

    // Act: four more AI-bound messages (five with the first).
    for (let i = 0; i < 4; i++) statuses.push((await twilio(whatsapp.from)).status);

    // Assess
    expect(new Set(statuses)).toEqual(new Set([200]));
    const ai = (await q.drain('whatsappReplies')) as QueuedContext[];
    const handoff = (await q.drain('handoff')) as QueuedContext[];
    expect(ai).toHaveLength(3);
    expect(ai[0]?.message.message_id).toBe(first);
    const reasons = handoff.map((c) => c.processing.handoff_reason);
    expect(reasons.filter((r) => r === 'spam')).toHaveLength(4);
    expect(handoff.filter((c) => c.processing.handoff_reason === 'quota_exceeded')).toHaveLength(2);
    expect(handoff.filter((c) => c.meta.channel_type === 'whatsapp')).toHaveLength(2);
    expect(q.metrics.get(OBSERVABILITY.metrics.quotaExceededHandoff)).toBe(2);
  });
});

describe('the quota counter is amortised (seed quota, 50,000)', () => {
  const seed = useTestStack({ monthlyQuota: 50_000 });

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
