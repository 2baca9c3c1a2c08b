import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { FALLBACK_WINDOW_SECONDS } from '../../src/app/handle-unknown-sender.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { registryItem } from '../../src/kit/table-items.js';
import { OBSERVABILITY } from '../../src/resources.js';
import { postMailgunWebhook } from '../fixtures/mailgun-webhooks.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { providersAt, useOutboxServer } from '../helpers/outbox-server.js';
import { useTestStack } from '../helpers/test-stack.js';

const M = OBSERVABILITY.metrics;
const provider = useOutboxServer();
const t = useTestStack(() => providersAt(provider));
let senderCounter = 0;

/** A fresh unknown sender per test, so ledger slots never leak between tests. */
function unknownSender(): string {
  senderCounter += 1;
  return `+4477009${String(10000 + senderCounter).slice(-5)}`;
}

function whatsappFrom(sender: string, overrides: Record<string, string> = {}) {
  return inboundParams({
    From: `whatsapp:${sender}`,
    To: DEMO.whatsappNumber,
    AccountSid: DEMO.accountSid,
    ...overrides,
  });
}

const send = (params: Record<string, string>, path = '/whatsapp', signature?: string) =>
  postTwilioWebhook({
    url: t.url(path),
    authToken: DEMO.authToken,
    params,
    ...(signature ? { signature } : {}),
  });

describe('fallback replies to unknown senders', () => {
  it('sends exactly one WhatsApp reply per 24 h, and one more once the window has passed', async () => {
    const sender = unknownSender();

    const first = await send(whatsappFrom(sender));
    const second = await send(whatsappFrom(sender));
    t.clock.advance((FALLBACK_WINDOW_SECONDS + 1) * 1000);
    const third = await send(whatsappFrom(sender));
    t.clock.reset();

    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(provider.outbox.entries).toHaveLength(2);
    const [reply] = provider.outbox.entries;
    expect(reply).toMatchObject({
      provider: 'twilio',
      account: DEMO.accountSid,
      authUser: DEMO.accountSid,
      authPassword: DEMO.authToken,
    });
    expect(reply?.fields).toMatchObject({ From: DEMO.whatsappNumber, To: `whatsapp:${sender}` });
    expect(reply?.fields.Body).toContain('no longer active');
    expect(await t.drain('whatsappReplies')).toHaveLength(0);
  });

  it('uses the approved template (ContentSid) when the registry has one', async () => {
    const number = 'whatsapp:+14155238899';
    await t.doc.send(
      new PutCommand({
        TableName: 'CompanyChannels',
        Item: registryItem({
          address: number,
          channel: 'whatsapp',
          credentialsReference: DEMO.credentials.whatsapp,
          company: DEMO.company,
          extra: {
            fallback_content_sid: 'HXb5b62575e6e4ff6129ad7c8efe1f983e',
            website_url: 'https://cucumber.example',
          },
        }),
      }),
    );

    await send(whatsappFrom(unknownSender(), { To: number }));

    expect(provider.outbox.entries).toHaveLength(1);
    expect(provider.outbox.entries[0]?.fields).toMatchObject({
      ContentSid: 'HXb5b62575e6e4ff6129ad7c8efe1f983e',
      From: number,
    });
    expect(provider.outbox.entries[0]?.fields.Body).toBeUndefined();
    expect(JSON.parse(provider.outbox.entries[0]?.fields.ContentVariables ?? '{}')).toMatchObject({
      1: 'Cucumber Recruitment',
    });
  });

  it('sends one reply when 50 webhooks from one unknown sender arrive at once', async () => {
    const sender = unknownSender();

    const responses = await Promise.all(Array.from({ length: 50 }, () => send(whatsappFrom(sender))));

    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(provider.outbox.entries).toHaveLength(1);
  });

  it.each(['fail', 'hang'] as const)(
    'still answers 200 when the provider %ss (before it ever answers), releases the slot, and the next message sends',
    async (mode) => {
      const sender = unknownSender();
      provider.outbox.mode = mode;
      const failedBefore = t.metrics.get(M.fallbackFailed);
      const hungBefore = provider.outbox.hungCalls;

      const response = await send(whatsappFrom(sender));
      const hungWhileAnswering = provider.outbox.hungCalls - hungBefore;
      provider.outbox.mode = 'ok';
      provider.outbox.releaseHanging();
      const slot = await t.doc.send(
        new GetCommand({
          TableName: 'FallbackLedger',
          Key: { ledger_key: `whatsapp#${DEMO.whatsappNumber}#${sender}` },
        }),
      );
      const next = await send(whatsappFrom(sender));

      expect(response.status).toBe(200);
      // A hung provider never answers: the 200 can only come from the sender's own timeout.
      expect(hungWhileAnswering).toBe(mode === 'hang' ? 1 : 0);
      expect(slot.Item).toBeUndefined();
      expect(t.metrics.get(M.fallbackFailed)).toBe(failedBefore + 1);
      expect(next.status).toBe(200);
      expect(provider.outbox.entries).toHaveLength(1);
    },
  );

  it('sends nothing for forged webhooks from unknown senders', async () => {
    const attempts = Array.from({ length: 10 }, () =>
      send(whatsappFrom(unknownSender()), '/whatsapp', 'Zm9yZ2VkIHNpZ25hdHVyZSE='),
    );

    const responses = await Promise.all(attempts);

    expect(responses.every((r) => r.status === 403)).toBe(true);
    expect(provider.outbox.entries).toHaveLength(0);
  });

  it('sends no fallback to a STOP from an unknown sender', async () => {
    await send(whatsappFrom(unknownSender(), { Body: 'STOP' }));

    expect(provider.outbox.entries).toHaveLength(0);
  });

  it('answers an unknown SMS sender once with a plain Body from the SMS number', async () => {
    const sender = unknownSender();
    const sms = () => inboundParams({ From: sender, To: DEMO.smsNumber, AccountSid: DEMO.accountSid });

    await send(sms(), '/sms');
    await send(sms(), '/sms');

    expect(provider.outbox.entries).toHaveLength(1);
    expect(provider.outbox.entries[0]?.fields).toMatchObject({ From: DEMO.smsNumber, To: sender });
    expect(provider.outbox.entries[0]?.fields.Body).toContain('Cucumber Recruitment');
  });

  it('answers an unknown email sender once via the Mailgun messages API, threaded as a reply', async () => {
    const sender = `stranger${unknownSender().slice(-5)}@example.org`;
    const email = () =>
      postMailgunWebhook({
        url: t.url('/email'),
        signingKey: DEMO.signingKey,
        sender,
        recipient: DEMO.emailAddress,
        subject: 'Old thread',
      });

    const first = await email();
    await email();

    expect(first.status).toBe(200);
    expect(provider.outbox.entries).toHaveLength(1);
    const [reply] = provider.outbox.entries;
    expect(reply).toMatchObject({
      provider: 'mailgun',
      account: 'mail.cucumber.example',
      authUser: 'api',
      authPassword: 'local-demo-api-key',
    });
    expect(reply?.fields).toMatchObject({
      to: sender,
      subject: 'Your message to Cucumber Recruitment',
      'h:In-Reply-To': first.fields['Message-Id'],
    });
    expect(reply?.fields.from).toContain(DEMO.emailAddress);
  });
});
