import { randomInt } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { RAW_EMAIL_LIMITS } from '../../src/domain/raw-email.js';
import type { SnsEnvelope } from '../../src/domain/sns-envelope.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { buildSesDelivery, snsDeliveryHeaders } from '../../src/local/ses/ses-delivery.js';
import { LOCAL_SES_TOPIC_ARN } from '../../src/local/ses/start-local-ses.js';
import { assertValidContext, type QueuedContext } from '../helpers/context-schema.js';
import { seedSesConversation } from '../helpers/conversations.js';
import { useTestStack } from '../helpers/test-stack.js';

/**
 * Amazon SNS discards any 4xx (there is no dead-letter queue on the subscription), and SES accepts mail up to 40 MB:
 * a genuine email the handler cannot read must reach a human, not a 413 or a 400.
 */
const t = useTestStack();

/** What SES does: the raw message into the inbound bucket, then the notification, signed as SNS signs it. */
async function deliver(source: string, raw: Buffer) {
  const built = buildSesDelivery({
    topicArn: LOCAL_SES_TOPIC_ARN,
    certificateUrl: t.stack.ses.sns.certificateUrl,
    recipient: DEMO.sesEmailAddress,
    source,
    mime: raw,
  });
  const object = built.object as { bucket: string; key: string };
  await t.stack.s3.send(new PutObjectCommand({ Bucket: object.bucket, Key: object.key, Body: built.raw }));
  const signing = await fetch(`${t.stack.ses.sns.url}/sign`, {
    method: 'POST',
    body: JSON.stringify(built.envelope),
  });
  const envelope = (await signing.json()) as SnsEnvelope;
  const response = await fetch(t.url('/email'), {
    method: 'POST',
    headers: snsDeliveryHeaders(envelope),
    body: JSON.stringify(envelope),
  });
  return { status: response.status, object };
}

function mime(from: string, body: string, extraHeaders = ''): Buffer {
  return Buffer.from(
    `From: Candidate <${from}>\r\nTo: ${DEMO.sesEmailAddress}\r\nSubject: My CV\r\n` +
      `Message-ID: <cv-${randomInt(1e9)}@mail.example.com>\r\n${extraHeaders}` +
      `Content-Type: text/plain; charset=utf-8\r\n\r\n${body}`,
  );
}

type Handed = QueuedContext & {
  message: { raw_email?: { size: number; s3: { bucket: string; key: string } } };
};

describe('an SES email the handler cannot read goes to a human, with the raw object reference', () => {
  it(`over the ${RAW_EMAIL_LIMITS.maxBytes}-byte processing limit: 200, one handoff context (too_large) naming the raw object`, async () => {
    // Prepare
    const conversation = await seedSesConversation(t);
    const raw = mime(conversation.sender, 'x'.repeat(RAW_EMAIL_LIMITS.maxBytes));

    // Act
    const { status, object } = await deliver(conversation.sender, raw);

    // Assess
    expect(status).toBe(200);
    expect(await t.drain('emailReplies')).toEqual([]);
    const [context] = (await t.drain('handoff')) as Handed[];
    assertValidContext(context);
    expect(context?.processing).toMatchObject({ route: 'handoff', handoff_reason: 'too_large' });
    expect(context?.message.raw_email).toEqual({ size: raw.length, s3: object });
    expect(context?.conversation.conversation_id).toBe(conversation.conversationId);
  });

  it('unparseable MIME (headers over the bound): 200, one handoff context (unprocessable) naming the raw object', async () => {
    const conversation = await seedSesConversation(t);
    const raw = mime(
      conversation.sender,
      'hello',
      `X-Padding: ${'p'.repeat(RAW_EMAIL_LIMITS.maxHeadersBytes)}\r\n`,
    );

    const { status, object } = await deliver(conversation.sender, raw);

    expect(status).toBe(200);
    const [context] = (await t.drain('handoff')) as Handed[];
    assertValidContext(context);
    expect(context?.processing).toMatchObject({ route: 'handoff', handoff_reason: 'unprocessable' });
    expect(context?.message.raw_email).toEqual({ size: raw.length, s3: object });
  });
});
