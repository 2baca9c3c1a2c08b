import { randomInt } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SnsEnvelope } from '../../src/domain/sns-envelope.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { createSigningIdentity } from '../../src/local/ses/self-signed-certificate.js';
import {
  buildSesDelivery,
  buildSubscriptionConfirmation,
  type SesDeliveryOptions,
  snsDeliveryHeaders,
} from '../../src/local/ses/ses-delivery.js';
import { signSnsEnvelope, type UnsignedSnsEnvelope } from '../../src/local/ses/sns-signer.js';
import { LOCAL_SES_TOPIC_ARN } from '../../src/local/ses/start-local-ses.js';
import { QUEUES, type QueueKey } from '../../src/resources.js';
import { pdfBytes, sha256 } from '../fixtures/ses/mime-fixtures.js';
import { seedConversation, seedSesConversation } from '../helpers/conversations.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * Issue 14's acceptance, end to end through the local stack (gateway → handler → dynalite, SQS, S3, SESv2
 * emulators), with this test acting as SNS: the local SNS server signs (its certificate is the only one the stack's
 * SNS_URL_PATTERN admits) and records subscription confirmations.
 */
let t: TestStack;
let s3: S3Client;
const OTHER_TOPIC = 'arn:aws:sns:us-east-1:000000000000:someone-elses-topic';

beforeAll(async () => {
  t = await startTestStack();
  s3 = new S3Client({
    endpoint: t.stack.s3Endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  s3.destroy();
  await t.stop();
});
beforeEach(async () => {
  for (const queue of Object.keys(QUEUES) as QueueKey[]) await t.drain(queue);
});

async function signed(envelope: UnsignedSnsEnvelope): Promise<SnsEnvelope> {
  const response = await fetch(`${t.stack.ses.sns.url}/sign`, {
    method: 'POST',
    body: JSON.stringify(envelope),
  });
  return (await response.json()) as SnsEnvelope;
}

function post(envelope: SnsEnvelope): Promise<Response> {
  return fetch(t.url('/email'), {
    method: 'POST',
    headers: snsDeliveryHeaders(envelope),
    body: JSON.stringify(envelope),
  });
}

/** What SES does: the raw message into the inbound bucket, then the notification (unsigned). */
async function received(options: Partial<SesDeliveryOptions> & { source: string }) {
  const built = buildSesDelivery({
    topicArn: LOCAL_SES_TOPIC_ARN,
    certificateUrl: t.stack.ses.sns.certificateUrl,
    recipient: DEMO.sesEmailAddress,
    mime: { text: 'Hello' },
    ...options,
  });
  if (built.object) {
    await s3.send(
      new PutObjectCommand({ Bucket: built.object.bucket, Key: built.object.key, Body: built.raw }),
    );
  }
  return built;
}

async function allQueues(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const queue of Object.keys(QUEUES) as QueueKey[]) {
    const messages = await t.drain(queue);
    if (messages.length > 0) out[queue] = messages;
  }
  return out;
}

describe('SNS subscription', () => {
  it('is confirmed for the configured topic only', async () => {
    const sns = t.stack.ses.sns;
    const token = `token-${randomInt(1e9)}`;
    const ours = await signed(
      buildSubscriptionConfirmation({
        topicArn: LOCAL_SES_TOPIC_ARN,
        certificateUrl: sns.certificateUrl,
        subscribeUrl: sns.subscribeUrl(LOCAL_SES_TOPIC_ARN, token),
        token,
      }),
    );
    expect((await post(ours)).status).toBe(200);
    expect(sns.confirmations).toContainEqual({ topicArn: LOCAL_SES_TOPIC_ARN, token });

    const foreign = await signed(
      buildSubscriptionConfirmation({
        topicArn: OTHER_TOPIC,
        certificateUrl: sns.certificateUrl,
        subscribeUrl: sns.subscribeUrl(OTHER_TOPIC, 'other'),
        token: 'other',
      }),
    );
    expect((await post(foreign)).status).toBe(403);
    expect(sns.confirmations.filter((c) => c.topicArn === OTHER_TOPIC)).toEqual([]);
  });
});

describe('received email (S3 action)', () => {
  it('with a PDF → one context for the right conversation, reply text, Message-ID, PDF in S3 byte for byte; a redelivery → nothing new', async () => {
    const conversation = await seedSesConversation(t);
    const pdf = pdfBytes(200 * 1024);
    const messageId = `<reply-${randomInt(1e9)}@mail.example.com>`;
    const built = await received({
      source: conversation.sender,
      mime: {
        from: `Candidate <${conversation.sender}>`,
        to: DEMO.sesEmailAddress,
        messageId,
        inReplyTo: '<outbound-1@ses.cucumber.example>',
        text: 'My CV is attached.\n\nOn Sat, Nov 28, 2026 at 9:00 AM Cucumber <replies@ses.cucumber.example> wrote:\n> Could you send your CV?\n',
        attachment: { filename: 'cv.pdf', contentType: 'application/pdf', bytes: pdf },
      },
    });
    const envelope = await signed(built.envelope);

    expect((await post(envelope)).status).toBe(200);
    const queues = await allQueues();
    expect(Object.keys(queues)).toEqual(['emailReplies']);
    const [context] = queues.emailReplies as Array<{
      conversation: { conversation_id: string };
      message: {
        body: string;
        message_id: string;
        from: string;
        to: string;
        attachments: Array<{
          filename: string;
          content_type: string;
          size: number;
          sha256: string;
          s3: { bucket: string; key: string };
        }>;
      };
      processing: { route: string };
    }>;
    expect(queues.emailReplies).toHaveLength(1);
    expect(context?.conversation.conversation_id).toBe(conversation.conversationId);
    expect(context?.message).toMatchObject({
      body: 'My CV is attached.',
      message_id: messageId,
      from: conversation.sender,
      to: DEMO.sesEmailAddress,
    });
    expect(context?.processing.route).toBe('ai');
    const [attachment] = context?.message.attachments ?? [];
    expect(attachment).toMatchObject({
      filename: 'cv.pdf',
      content_type: 'application/pdf',
      size: pdf.length,
      sha256: sha256(pdf),
    });
    expect(attachment?.s3.bucket).toBe(t.stack.config.attachmentsBucket);
    const object = await s3.send(
      new GetObjectCommand({ Bucket: attachment?.s3.bucket, Key: attachment?.s3.key }),
    );
    const stored = await object.Body?.transformToByteArray();
    expect(Buffer.from(stored ?? new Uint8Array()).equals(pdf)).toBe(true);

    // SNS redelivers the same notification (same envelope): acknowledged, nothing new queued.
    expect((await post(envelope)).status).toBe(200);
    expect(await allQueues()).toEqual({});
  });

  it('SPF + DKIM + DMARC failure → HandoffQueue sender_unverified, never the AI', async () => {
    const conversation = await seedSesConversation(t);
    const built = await received({
      source: conversation.sender,
      mime: { from: conversation.sender, messageId: `<spoof-${randomInt(1e9)}@x.example>`, text: 'Hi' },
      verdicts: { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' },
    });
    expect((await post(await signed(built.envelope))).status).toBe(200);
    const queues = await allQueues();
    expect(Object.keys(queues)).toEqual(['handoff']);
    expect(queues.handoff?.[0]).toMatchObject({
      conversation: { conversation_id: conversation.conversationId },
      processing: { route: 'handoff', handoff_reason: 'sender_unverified' },
    });
  });

  it('an unknown sender gets one fallback through SES per 24 h (the SESv2 emulator), nothing queued', async () => {
    const sender = `stranger-${randomInt(1e9)}@example.com`;
    const before = (await t.stack.ses.emulator?.sent())?.length ?? 0;
    for (const n of [1, 2]) {
      const built = await received({
        source: sender,
        mime: { from: sender, messageId: `<stranger-${n}-${randomInt(1e9)}@example.com>`, text: 'Hello?' },
      });
      expect((await post(await signed(built.envelope))).status).toBe(200);
    }
    const sent = (await t.stack.ses.emulator?.sent()) ?? [];
    expect(sent.length - before).toBe(1);
    expect(sent.at(-1)?.destination.to).toEqual([sender]);
    expect(await allQueues()).toEqual({});
    const outbox = await t.stack.outbox.allEntries();
    expect(outbox.filter((e) => e.provider === 'ses' && e.fields.to === sender)).toHaveLength(1);
  });
});

describe('attacks → 403, nothing queued, nothing read', () => {
  async function attackDelivery() {
    const conversation = await seedConversation(t, 'email');
    return received({
      source: conversation.sender,
      mime: { from: conversation.sender, messageId: `<attack-${randomInt(1e9)}@x.example>`, text: 'x' },
    });
  }

  it('signed with another key (the certificate URL is the trusted one)', async () => {
    const built = await attackDelivery();
    const forged = signSnsEnvelope(built.envelope, createSigningIdentity({ commonName: 'attacker' }));
    expect((await post(forged)).status).toBe(403);
    expect(await allQueues()).toEqual({});
  });

  it('a foreign certificate URL (the attacker signs and serves their own certificate)', async () => {
    const built = await attackDelivery();
    const forged = signSnsEnvelope(
      { ...built.envelope, SigningCertURL: 'https://sns.attacker.example/SimpleNotificationService.pem' },
      createSigningIdentity({ commonName: 'attacker' }),
    );
    const fetchesBefore = t.stack.ses.sns.counts.certificateFetches;
    expect((await post(forged)).status).toBe(403);
    expect(await allQueues()).toEqual({});
    expect(t.stack.ses.sns.counts.certificateFetches).toBe(fetchesBefore);
  });

  it('an unknown topic (validly signed)', async () => {
    const built = await attackDelivery();
    const envelope = await signed({ ...built.envelope, TopicArn: OTHER_TOPIC });
    expect((await post(envelope)).status).toBe(403);
    expect(await allQueues()).toEqual({});
  });

  it('malformed or oversized SNS bodies: 400 / 413 with a short message, nothing queued', async () => {
    const headers = { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' };
    const malformed = await fetch(t.url('/email'), { method: 'POST', headers, body: '{"Type":' });
    expect(malformed.status).toBe(400);
    const mismatched = await fetch(t.url('/email'), {
      method: 'POST',
      headers: { ...headers, 'x-amz-sns-message-type': 'SubscriptionConfirmation' },
      body: JSON.stringify((await attackDelivery()).envelope),
    });
    expect(mismatched.status).toBe(400);
    const huge = await fetch(t.url('/email'), { method: 'POST', headers, body: 'x'.repeat(700 * 1024) });
    expect(huge.status).toBe(413);
    expect(await allQueues()).toEqual({});
  });

  it('without the SNS header, /email stays Mailgun: a JSON body is 415', async () => {
    const built = await attackDelivery();
    const envelope = await signed(built.envelope);
    const response = await fetch(t.url('/email'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=UTF-8' },
      body: JSON.stringify(envelope),
    });
    expect(response.status).toBe(415);
    expect(await allQueues()).toEqual({});
  });
});
