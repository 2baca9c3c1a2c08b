import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RawEmail } from '../../src/app/ports.js';
import { DependencyError } from '../../src/domain/errors.js';
import { MAX_INLINE_BODY_BYTES } from '../../src/domain/inline-body-limit.js';
import { RAW_EMAIL_LIMITS } from '../../src/domain/raw-email.js';
import { receiptAttribute } from '../../src/domain/receipts.js';
import type { ConversationRecord } from '../../src/domain/types.js';
import { createHandler } from '../../src/http/create-handler.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { mailgunRequest } from '../../src/kit/mailgun-webhook.js';
import { buildRestEvent } from '../../src/kit/rest-event-builder.js';
import type { SignedRequest } from '../../src/kit/signed-request.js';
import { createSigningIdentity } from '../../src/local/ses/self-signed-certificate.js';
import {
  buildSesDelivery,
  type SesDeliveryOptions,
  snsDeliveryHeaders,
} from '../../src/local/ses/ses-delivery.js';
import { signSnsEnvelope } from '../../src/local/ses/sns-signer.js';
import {
  AUTHENTICATED_VERDICTS,
  type MailgunInboundInput,
  mailgunFields,
} from '../fixtures/mailgun-webhooks.js';
import { pdfBytes } from '../fixtures/ses/mime-fixtures.js';
import {
  demoTwilioStatus,
  demoTwilioWebhook,
  HOOKS_BASE_URL,
  signedEvent,
} from '../fixtures/signed-events.js';
import { messageSid } from '../fixtures/twilio-webhooks.js';
import {
  type FakeDependencies,
  fakeDependencies,
  seedFakeConversation,
} from '../helpers/fakes/fake-dependencies.js';
import { fakeSesChannel } from '../helpers/fakes/fake-ses-channel.js';

/**
 * The delivery contract of docs/reliability.md, held to the code: every row of its conditions table is performed
 * through the handler (createHandler: the real use case and HTTP mapping, in-memory fakes for AWS), once per
 * provider, and the answer (and the queue it landed on) must be what the table says.
 */
type Provider = 'Twilio' | 'Mailgun' | 'SNS (SES)';
const PROVIDERS: readonly Provider[] = ['Twilio', 'Mailgun', 'SNS (SES)'];

interface Expected {
  readonly status: number;
  readonly handoff?: string;
}

function contractTable(): Map<string, Record<Provider, Expected | undefined>> {
  const doc = readFileSync(new URL('../../docs/reliability.md', import.meta.url), 'utf8');
  const rows = new Map<string, Record<Provider, Expected | undefined>>();
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const id = /^`([a-z-]+)`/.exec(cells[1] ?? '')?.[1];
    if (!id || cells.length < 7) continue;
    const expected = Object.fromEntries(
      PROVIDERS.map((provider, i) => {
        const cell = cells[2 + i] ?? '';
        const status = /^(\d{3})/.exec(cell)?.[1];
        const handoff = /handoff `([a-z_]+)`/.exec(cell)?.[1];
        return [provider, status ? { status: Number(status), ...(handoff ? { handoff } : {}) } : undefined];
      }),
    ) as Record<Provider, Expected | undefined>;
    rows.set(id, expected);
  }
  return rows;
}

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:ses-inbound-contract';
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-contract.pem';
const BUCKET = 'ses-inbound-contract';
const identity = createSigningIdentity({
  notBefore: new Date('2026-01-01T00:00:00Z'),
  notAfter: new Date('2028-01-01T00:00:00Z'),
});
const stranger = createSigningIdentity({
  notBefore: new Date('2026-01-01T00:00:00Z'),
  notAfter: new Date('2028-01-01T00:00:00Z'),
});

let deps: FakeDependencies;
const objects = new Map<string, RawEmail>();

beforeEach(() => {
  deps = fakeDependencies();
  objects.clear();
  Object.assign(deps, {
    ses: fakeSesChannel({
      certificateUrl: CERT_URL,
      certificatePem: identity.certificatePem,
      rawEmails: {
        async get(bucket: string, key: string) {
          const object = objects.get(`${bucket}/${key}`);
          if (!object) throw new DependencyError('ses-inbound-bucket');
          return object;
        },
      },
      topicArn: TOPIC,
      bucket: BUCKET,
      clock: deps.clock,
      logger: deps.logger,
    }),
  });
});

const handler = () => createHandler(deps, { webhookBaseUrl: HOOKS_BASE_URL, corsAllowOrigin: '*' });
type Event = Parameters<ReturnType<typeof createHandler>>[0];
const send = async (event: Event) => (await handler()(event)).statusCode;

const EMAIL_SENDER = DEMO.emailSender;
const SES_SENDER = 'candidate@ses-sender.example';

/** A message of each provider, with the knobs the conditions turn. */
interface Knobs {
  readonly id?: string;
  readonly from?: string;
  readonly text?: string;
  readonly attachment?: boolean;
  readonly signedAt?: Date;
  readonly token?: string;
  readonly forged?: boolean;
  readonly malformed?: boolean;
  readonly spam?: boolean;
  readonly raw?: 'too-large' | 'unparseable';
}

async function twilio(knobs: Knobs): Promise<Event> {
  const overrides: Record<string, string> = {
    MessageSid: knobs.id ?? messageSid(),
    ...(knobs.from ? { From: `whatsapp:${knobs.from}` } : {}),
    ...(knobs.malformed ? { MessageSid: 'not-a-sid' } : {}),
  };
  return signedEvent(demoTwilioWebhook('whatsapp', overrides, knobs.forged ? 'wrong-token' : DEMO.authToken));
}

async function mailgun(knobs: Knobs, bigAttachment = 0): Promise<Event> {
  const input: MailgunInboundInput = {
    sender: knobs.from ?? EMAIL_SENDER,
    recipient: DEMO.emailAddress,
    signingKey: DEMO.signingKey,
    timestamp: Math.floor((knobs.signedAt ?? deps.clock.now()).getTime() / 1000),
    ...(knobs.id ? { messageId: knobs.id } : {}),
    ...(knobs.text ? { text: knobs.text } : {}),
    ...(knobs.token ? { token: knobs.token } : {}),
    ...(knobs.forged ? { signature: 'a'.repeat(64) } : {}),
    ...(knobs.malformed ? { extra: { sender: 'not-an-address' } } : {}),
    ...(knobs.spam ? { verdicts: { ...AUTHENTICATED_VERDICTS, 'X-Mailgun-Sflag': 'Yes' } } : {}),
  };
  const files =
    knobs.attachment || bigAttachment > 0
      ? [{ filename: 'cv.pdf', contentType: 'application/pdf', data: Buffer.alloc(bigAttachment || 2048, 1) }]
      : [];
  const signed: SignedRequest = await mailgunRequest(
    `${HOOKS_BASE_URL}/email`,
    Object.entries(mailgunFields(input)),
    files,
    files.length > 0 ? 'multipart' : 'urlencoded',
  );
  return signedEvent(signed);
}

function ses(knobs: Knobs): Event {
  if (knobs.malformed) return snsEvent({ 'x-amz-sns-message-type': 'Notification' }, '{"Type":');
  const options: SesDeliveryOptions = {
    topicArn: TOPIC,
    certificateUrl: CERT_URL,
    recipient: DEMO.sesEmailAddress,
    bucket: BUCKET,
    source: knobs.from ?? SES_SENDER,
    ...(knobs.spam ? { verdicts: { spam: 'FAIL' } } : {}),
    mime:
      knobs.raw === 'unparseable'
        ? Buffer.from(
            `From: <${SES_SENDER}>\r\nX-Pad: ${'p'.repeat(RAW_EMAIL_LIMITS.maxHeadersBytes)}\r\n\r\nhi`,
          )
        : {
            from: knobs.from ?? SES_SENDER,
            messageId: knobs.id ?? `<m-${Math.random()}@example.com>`,
            text: knobs.text ?? 'CV attached',
            ...(knobs.attachment
              ? { attachment: { filename: 'cv.pdf', contentType: 'application/pdf', bytes: pdfBytes(4096) } }
              : {}),
          },
  };
  const built = buildSesDelivery(options);
  if (built.object) {
    objects.set(
      `${built.object.bucket}/${built.object.key}`,
      knobs.raw === 'too-large'
        ? { tooLarge: true, size: RAW_EMAIL_LIMITS.maxBytes + 1 }
        : { bytes: built.raw },
    );
  }
  const envelope = signSnsEnvelope(
    { ...built.envelope, Timestamp: deps.clock.now().toISOString() },
    knobs.forged ? stranger : identity,
  );
  return snsEvent(snsDeliveryHeaders(envelope), JSON.stringify(envelope));
}

function snsEvent(headers: Record<string, string>, body: string): Event {
  return buildRestEvent({
    method: 'POST',
    path: '/email',
    headers: [['Host', new URL(HOOKS_BASE_URL).host], ...Object.entries(headers)],
    body: Buffer.from(body),
  });
}

function message(provider: Provider, knobs: Knobs = {}): Promise<Event> | Event {
  if (provider === 'Twilio') return twilio(knobs);
  if (provider === 'Mailgun') return mailgun(knobs);
  return ses(knobs);
}

let seeded: ConversationRecord;

function seed(provider: Provider): void {
  if (provider === 'Twilio') seeded = seedFakeConversation(deps, 'whatsapp', DEMO.aiSender);
  else if (provider === 'Mailgun') seeded = seedFakeConversation(deps, 'email', EMAIL_SENDER);
  else {
    const record = seedFakeConversation(deps, 'email', SES_SENDER);
    seeded = {
      ...record,
      company_channel: DEMO.sesEmailAddress,
      credentials_reference: DEMO.credentials.ses,
    };
    deps.conversations.put(seeded);
  }
}

/** The id each provider's message is deduplicated on, for a given chosen id. */
function providerId(provider: Provider): string {
  return provider === 'Twilio' ? messageSid() : `<contract-${Math.random()}@example.com>`;
}

const transient = (cause: string) => new DependencyError(cause, { cause: new Error(`injected ${cause}`) });

/** Performs one condition on one provider; returns the answer of the delivery the table describes. */
const CONDITIONS: Record<string, (provider: Provider) => Promise<number>> = {
  queued: async (p) => send(await message(p)),
  duplicate: async (p) => {
    const event = await message(p, { id: providerId(p) });
    await send(event);
    return send(event);
  },
  'in-progress': async (p) => {
    const id = providerId(p);
    deps.conversations.setReceipt(seeded, receiptAttribute(id), deps.clock.now().getTime() + 5_000);
    return send(await message(p, { id }));
  },
  'conversations-down': async (p) => {
    deps.conversations.faults.fail('claimMessage', { error: transient('conversations') });
    return send(await message(p));
  },
  'queue-down': async (p) => {
    deps.queue.faults.fail('send', { error: transient('queue') });
    return send(await message(p));
  },
  deadline: async (p) => {
    // What an adapter makes of the webhook's abort signal: a transient failure whose cause is the timeout.
    const abort = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    deps.conversations.faults.fail('findBySender', {
      error: new DependencyError('conversations', { cause: abort }),
    });
    return send(await message(p));
  },
  'attachments-down': async (p) => {
    deps.attachments.faults.fail('put', { error: transient('s3') });
    return send(await message(p, { attachment: true }));
  },
  'mailgun-retry': async (p) => {
    const event = await message(p, { id: providerId(p) });
    deps.queue.faults.fail('send', { error: transient('queue') });
    expect(await send(event)).toBe(503);
    return send(event);
  },
  'delayed-delivery': async (p) =>
    send(await message(p, { signedAt: new Date(deps.clock.now().getTime() - 20 * 60_000) })),
  'long-body': async (p) => send(await message(p, { text: 'A long reply.\n'.repeat(22_000) })),
  'attachment-too-large': async (p) => {
    deps.attachments.faults.fail('put', { error: new DependencyError('s3', { permanent: 'too_large' }) });
    return send(await message(p, { attachment: true }));
  },
  'raw-email-too-large': async (p) => send(await message(p, { raw: 'too-large' })),
  'raw-email-unparseable': async (p) => send(await message(p, { raw: 'unparseable' })),
  'quota-exceeded': async (p) => {
    Object.assign(deps, { quota: { allows: () => false, spend: async () => undefined } });
    return send(await message(p));
  },
  spam: async (p) => send(await message(p, { spam: true })),
  'unknown-sender': async (p) =>
    send(await message(p, { from: p === 'Twilio' ? '+447700900999' : 'stranger@unknown.example' })),
  'status-callback': async () => send(signedEvent(demoTwilioStatus('whatsapp'))),
  'inline-too-large': async () => send(await mailgun({}, MAX_INLINE_BODY_BYTES)),
  forged: async (p) => send(await message(p, { forged: true })),
  'token-reused': async (p) => {
    expect(await send(await message(p, { token: 'c'.repeat(50), text: 'the real reply' }))).toBe(200);
    deps.queue.messages.length = 0;
    return send(await message(p, { token: 'c'.repeat(50), text: 'another message' }));
  },
  stale: async (p) =>
    send(await message(p, { signedAt: new Date(deps.clock.now().getTime() - 13 * 3600_000) })),
  malformed: async (p) => send(await message(p, { malformed: true })),
};

const table = contractTable();
const cases = [...table.entries()].flatMap(([condition, expected]) =>
  PROVIDERS.filter((provider) => expected[provider] !== undefined).map(
    (provider) => [condition, provider, expected[provider] as Expected] as const,
  ),
);

describe('docs/reliability.md delivery contract', () => {
  it('every condition in the table has a scenario here, and every scenario a row', () => {
    expect([...table.keys()].sort()).toEqual(Object.keys(CONDITIONS).sort());
  });

  it('a genuine message is never answered with a 4xx a provider treats as final (only the documented exception)', () => {
    const notGenuine = new Set(['forged', 'token-reused', 'stale', 'malformed']);
    const fourXx = cases.filter(
      ([condition, , e]) => e.status >= 400 && e.status < 500 && !notGenuine.has(condition),
    );
    expect(fourXx.map(([condition, provider]) => `${condition}/${provider}`)).toEqual([
      'inline-too-large/Mailgun',
    ]);
  });

  it.each(cases)('%s on %s → %j', async (condition, provider, expected) => {
    seed(provider);
    const scenario = CONDITIONS[condition];
    if (!scenario) throw new Error(`no scenario for ${condition}`);

    const status = await scenario(provider);

    expect(status).toBe(expected.status);
    const handoff = deps.queue.bodies('handoff') as { processing: { handoff_reason?: string } }[];
    if (expected.handoff) {
      expect(handoff.map((c) => c.processing.handoff_reason)).toEqual([expected.handoff]);
    } else {
      expect(handoff).toEqual([]);
    }
    if (
      expected.status === 200 &&
      ['queued', 'duplicate', 'mailgun-retry', 'delayed-delivery', 'long-body'].includes(condition)
    ) {
      expect(deps.queue.messages).toHaveLength(1);
    }
    if (expected.status !== 200) expect(deps.queue.messages).toEqual([]);
  });
});
