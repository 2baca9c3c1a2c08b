import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import {
  createPowertoolsLogger,
  createPowertoolsMetrics,
} from '../../src/adapters/observability/powertools-observability.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { emailMessageId, postMailgunWebhook } from '../fixtures/mailgun-webhooks.js';
import { inboundParams, messageSid, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { seedConversation, ukSender } from '../helpers/conversations.js';
import { recordFigures } from '../helpers/figures.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/** The real Powertools logger and metrics write through their own `Console` on process.stdout / stderr. */
let t: TestStack;
let stdout: MockInstance;
let stderr: MockInstance;
const written: string[] = [];
const capture = (chunk: unknown) => {
  written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  return true;
};

/** Every personal value the traffic carries: none may appear in any output line. */
const pii: string[] = [];
const marker = () => `body-${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  t = await startTestStack({
    awsCallTimeoutMs: 300,
    logger: createPowertoolsLogger({ logLevel: 'DEBUG' }),
    metrics: createPowertoolsMetrics({ stage: 'local' }),
  });
});
afterAll(async () => {
  await t.stop();
  stdout.mockRestore();
  stderr.mockRestore();
});

async function twilio(
  channel: 'whatsapp' | 'sms',
  from: string,
  body: string,
  extra: Record<string, string> = {},
) {
  const to = channel === 'whatsapp' ? DEMO.whatsappNumber : DEMO.smsNumber;
  const params = inboundParams({
    From: channel === 'whatsapp' ? `whatsapp:${from}` : from,
    To: to,
    AccountSid: DEMO.accountSid,
    Body: body,
    ...(channel === 'whatsapp' ? { WaId: from.slice(1), ProfileName: 'Jane Candidate' } : {}),
    ...extra,
  });
  return postTwilioWebhook({ url: t.url(`/${channel}`), authToken: DEMO.authToken, params });
}

async function email(sender: string, text: string, subject: string) {
  return postMailgunWebhook({
    url: t.url('/email'),
    signingKey: DEMO.signingKey,
    sender,
    recipient: DEMO.emailAddress,
    subject,
    text,
    messageId: emailMessageId(),
    timestamp: Math.floor(t.clock.now().getTime() / 1000),
  });
}

describe('PII in logs: representative traffic through the real Powertools logger', () => {
  const statuses: number[] = [];

  beforeAll(async () => {
    const known = await seedConversation(t, 'whatsapp');
    const knownSms = await seedConversation(t, 'sms');
    const knownEmail = await seedConversation(t, 'email');
    const strangerPhone = ukSender();
    const strangerEmail = `stranger.${randomBytes(3).toString('hex')}@example.org`;
    const inBody = { phone: ukSender(), email: `friend.${randomBytes(3).toString('hex')}@example.net` };
    pii.push(
      known.sender,
      knownSms.sender,
      knownEmail.sender,
      strangerPhone,
      strangerEmail,
      inBody.phone,
      inBody.email,
    );
    pii.push(...[known.sender, strangerPhone].map((n) => n.slice(1)), 'Jane Candidate');
    const body = (label: string) => {
      const unique = marker();
      pii.push(unique);
      return `${label} ${unique} call ${inBody.phone} or write to ${inBody.email}`;
    };
    const run = async (send: () => Promise<{ status: number }>) => statuses.push((await send()).status);

    await run(() => twilio('whatsapp', known.sender, body('whatsapp')));
    await run(() => twilio('sms', knownSms.sender, body('sms')));
    const subject = marker();
    pii.push(subject);
    await run(() => email(knownEmail.sender, body('email'), `Re: ${subject} my CV`));
    await run(() => twilio('whatsapp', known.sender, 'STOP'));
    await run(() => twilio('whatsapp', strangerPhone, body('stranger'))); // unknown sender, fallback sent
    await run(() => email(strangerEmail, body('stranger email'), 'Hello')); // unknown sender, fallback sent
    await run(() =>
      postTwilioWebhook({
        url: t.url('/whatsapp'),
        authToken: 'forged-token',
        params: inboundParams({
          From: `whatsapp:${strangerPhone}`,
          To: DEMO.whatsappNumber,
          AccountSid: DEMO.accountSid,
        }),
      }),
    );
    await run(() =>
      twilio('whatsapp', known.sender, body('bad'), { From: `whatsapp:0${known.sender.slice(3)}` }),
    );
    await run(() =>
      twilio('whatsapp', DEMO.whatsappNumber.slice('whatsapp:'.length), '', {
        From: DEMO.whatsappNumber,
        To: `whatsapp:${known.sender}`,
        MessageStatus: 'delivered',
        MessageSid: messageSid(),
      }),
    );
    t.sqsProxy.mode = { kind: 'fail' };
    await run(() => twilio('whatsapp', known.sender, body('sqs down')));
    t.sqsProxy.mode = { kind: 'pass' };
    t.dynamoProxy.mode = { kind: 'hang' };
    await run(() => twilio('sms', knownSms.sender, body('dynamo down')));
    t.dynamoProxy.mode = { kind: 'pass' };
    t.dynamoProxy.releaseHeld();
    t.stack.outbox.mode = 'fail';
    await run(() => twilio('sms', ukSender(), body('outbox down')));
    t.stack.outbox.mode = 'ok';
  }, 60_000);

  it('produced log lines for every kind of outcome', () => {
    // Prepare
    const lines = written
      .join('')
      .split('\n')
      .filter((line) => line.trim().length > 0);

    // Act
    const messages = lines.flatMap((line) => {
      try {
        return [(JSON.parse(line) as { message?: string }).message ?? ''];
      } catch {
        return [];
      }
    });

    // Assess
    expect([...new Set(statuses)].sort()).toEqual([200, 400, 403, 503]);
    for (const expected of [
      'message queued',
      'unknown sender; fallback sent',
      'webhook rejected',
      'webhook failed; provider will retry',
      'status callback acknowledged',
    ]) {
      expect(messages.some((m) => m.startsWith(expected))).toBe(true);
    }
    recordFigures('pii', 'traffic', {
      requests: statuses.length,
      outputLines: lines.length,
      piiValues: pii.length,
    });
  });

  it('never writes a full phone number, email address or message body', () => {
    // Prepare
    const output = written.join('');
    const unmaskedPhone = /\+\d[\d\s().-]{5,}\d/g;
    const unmaskedEmail = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

    // Act
    const leaked = pii.filter((value) => value.length > 0 && output.includes(value));
    const phones = (output.match(unmaskedPhone) ?? []).filter((m) => m.replace(/\D/g, '').length >= 7);
    const emails = output.match(unmaskedEmail) ?? [];

    // Assess
    expect(output.length).toBeGreaterThan(0);
    expect(leaked).toEqual([]);
    expect(phones).toEqual([]);
    expect(emails).toEqual([]);
  });
});
