import { createHash, randomInt } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, demoConversationItem } from '../../src/kit/demo-data.js';
import { buildRestEvent } from '../../src/kit/rest-event-builder.js';
import { TABLES } from '../../src/resources.js';
import { inboundParams, messageSid, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { assertValidContext, type QueuedContext } from '../helpers/context-schema.js';
import { FakeMeta, metaSignatureHeader, metaWebhookBody, textMessage, wamid } from '../helpers/fake-meta.js';
import { bucketReader, sha256, storedOf } from '../helpers/stored-attachments.js';
import { useTestStack } from '../helpers/test-stack.js';

/**
 * Meta's WhatsApp Cloud API end to end through the local stack (gateway, handler, dynalite, local-aws-sqs, the S3
 * emulator), with the test acting as Meta: it signs with the app secret and serves the Graph API.
 */
const meta = new FakeMeta(
  DEMO.meta.accessToken,
  `Basic ${Buffer.from(`${DEMO.accountSid}:${DEMO.authToken}`).toString('base64')}`,
);
beforeAll(() => meta.start());
afterAll(() => meta.stop());
const t = useTestStack(() => ({
  metaGraphApiBaseUrl: meta.graphBaseUrl,
  twilioApiBaseUrl: meta.twilioBaseUrl,
}));

const PNID = DEMO.meta.phoneNumberId;

/** A sender with an active conversation on the Meta number (E.164 key, like Twilio's). */
async function metaConversation(): Promise<{ sender: string; waId: string; conversationId: string }> {
  const waId = `447700${randomInt(900000, 999999)}`;
  const conversationId = `conv-meta-${randomInt(1e9)}`;
  const item = {
    ...demoConversationItem('whatsapp', `+${waId}`, conversationId),
    company_channel: DEMO.meta.channelAddress,
    credentials_reference: DEMO.meta.credentials,
  };
  await t.doc.send(new PutCommand({ TableName: TABLES.conversations.localName, Item: item }));
  return { sender: `+${waId}`, waId, conversationId };
}

function post(body: Buffer, signature: string | null = metaSignatureHeader(body, DEMO.meta.appSecret)) {
  return fetch(t.url('/whatsapp/meta'), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(signature ? { 'X-Hub-Signature-256': signature } : {}),
    },
    body,
  });
}

const contexts = async () => (await t.drain('whatsappReplies')) as QueuedContext[];

describe('GET /whatsapp/meta: Meta subscription check', () => {
  const verify = (query: Record<string, string>) =>
    fetch(`${t.url('/whatsapp/meta')}?${new URLSearchParams(query).toString()}`);

  it('answers the right verify token with exactly the challenge, as text/plain', async () => {
    const response = await verify({
      'hub.mode': 'subscribe',
      'hub.verify_token': DEMO.meta.verifyToken,
      'hub.challenge': '1158201444',
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('1158201444');
  });

  it('refuses a wrong verify token with 403', async () => {
    const response = await verify({
      'hub.mode': 'subscribe',
      'hub.verify_token': 'not-the-token',
      'hub.challenge': '1158201444',
    });

    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('1158201444');
  });
});

describe('POST /whatsapp/meta: signed deliveries', () => {
  it('a text message → one context (escaped Unicode signed as sent)', async () => {
    const { sender, waId, conversationId } = await metaConversation();
    const message = textMessage(waId, 'Je suis intéressé — 面接はいつですか?');
    const body = metaWebhookBody([
      [{ phoneNumberId: PNID, contacts: [{ wa_id: waId, profile: { name: 'Zoë' } }], messages: [message] }],
    ]);
    expect(body.toString('utf8')).toContain('\\u00e9');

    const response = await post(body);

    expect(response.status).toBe(200);
    const [context, ...more] = await contexts();
    expect(more).toHaveLength(0);
    assertValidContext(context);
    expect(context?.message).toMatchObject({
      from: sender,
      to: DEMO.meta.channelAddress,
      body: 'Je suis intéressé — 面接はいつですか?',
      message_id: message.id,
      profile_name: 'Zoë',
    });
    expect(context?.conversation.conversation_id).toBe(conversationId);
  });

  it('a batch across two entries plus statuses → one context per message, none for the statuses', async () => {
    const a = await metaConversation();
    const b = await metaConversation();
    const messages = [
      textMessage(a.waId, 'first'),
      textMessage(b.waId, 'second'),
      textMessage(a.waId, 'third'),
    ];
    const status = (id: string, state: string) => ({
      id,
      status: state,
      timestamp: '1733300000',
      recipient_id: a.waId,
    });
    const body = metaWebhookBody([
      [{ phoneNumberId: PNID, messages: messages.slice(0, 2), statuses: [status(wamid(), 'delivered')] }],
      [
        { phoneNumberId: PNID, statuses: [status(wamid(), 'read')] },
        { phoneNumberId: PNID, messages: messages.slice(2) },
      ],
    ]);

    const response = await post(body);

    expect(response.status).toBe(200);
    const queued = await contexts();
    for (const context of queued) assertValidContext(context);
    expect(queued.map((c) => c.message.message_id).sort()).toEqual(messages.map((m) => m.id).sort());
    expect(await t.drain('handoff')).toHaveLength(0);
  });

  it('the same POST again → 200 and nothing new', async () => {
    const { waId } = await metaConversation();
    const body = metaWebhookBody([[{ phoneNumberId: PNID, messages: [textMessage(waId, 'once only')] }]]);
    expect((await post(body)).status).toBe(200);
    expect(await contexts()).toHaveLength(1);

    const again = await post(body);

    expect(again.status).toBe(200);
    expect(await contexts()).toHaveLength(0);
  });

  it('a number no tenant registered → 403 (Meta redelivers) after the rest of the batch was queued', async () => {
    const { waId } = await metaConversation();
    const known = textMessage(waId, 'for a registered number');
    const body = metaWebhookBody([
      [{ phoneNumberId: '999000999000999', messages: [textMessage(waId, 'for an unknown number')] }],
      [{ phoneNumberId: PNID, messages: [known] }],
    ]);

    const first = await post(body);
    const queued = await contexts();
    const again = await post(body);

    expect([first.status, again.status]).toEqual([403, 403]);
    expect(queued.map((c) => c.message.message_id)).toEqual([known.id]);
    expect(await contexts()).toHaveLength(0);
  });

  it('an image → stored in S3 byte for byte, with the sha256 Meta announced', async () => {
    const { waId } = await metaConversation();
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    const mediaId = String(randomInt(1e9, 9e9));
    meta.media.set(mediaId, { bytes, mimeType: 'image/jpeg' });
    const announced = createHash('sha256').update(bytes).digest('base64');
    const message = {
      ...textMessage(waId, ''),
      type: 'image',
      text: undefined,
      image: { id: mediaId, mime_type: 'image/jpeg', sha256: announced, caption: 'my CV' },
    };

    const response = await post(metaWebhookBody([[{ phoneNumberId: PNID, messages: [message] }]]));

    expect(response.status).toBe(200);
    const [context] = await contexts();
    assertValidContext(context);
    const [stored, ...others] = storedOf(context);
    expect(others).toHaveLength(0);
    expect(stored).toMatchObject({ content_type: 'image/jpeg', size: bytes.length, sha256: sha256(bytes) });
    expect(Buffer.from(stored?.sha256 ?? '', 'hex').toString('base64')).toBe(announced);
    const s3 = bucketReader(t.stack.s3, t.stack.config.attachmentsBucket);
    expect((await s3.object(stored?.s3.key ?? '')).equals(bytes)).toBe(true);
    expect(context?.message.media).toEqual([
      expect.objectContaining({ media_id: mediaId, content_type: 'image/jpeg', stored: true }),
    ]);
  });

  it('an unknown sender → exactly one Graph API text message, however often they write', async () => {
    const waId = `447700${randomInt(900000, 999999)}`;
    const before = meta.sent.length;

    for (const text of ['hello?', 'anyone there?']) {
      const body = metaWebhookBody([[{ phoneNumberId: PNID, messages: [textMessage(waId, text)] }]]);
      expect((await post(body)).status).toBe(200);
    }

    const sent = meta.sent.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      phoneNumberId: PNID,
      authorization: `Bearer ${DEMO.meta.accessToken}`,
      body: { messaging_product: 'whatsapp', to: waId, type: 'text' },
    });
    expect(await contexts()).toHaveLength(0);
  });
});

describe('POST /whatsapp/meta: forged and missing signatures', () => {
  it('a forged signature → 403 with zero AWS calls', async () => {
    const { waId } = await metaConversation();
    const body = metaWebhookBody([[{ phoneNumberId: PNID, messages: [textMessage(waId, 'forged')] }]]);
    t.dynamoProxy.reset();
    t.sqsProxy.reset();

    const forged = await post(body, metaSignatureHeader(body, 'not-the-app-secret'));
    const tampered = await post(
      Buffer.from(body.toString('utf8').replace('forged', 'FORGED')),
      metaSignatureHeader(body, DEMO.meta.appSecret),
    );

    expect([forged.status, tampered.status]).toEqual([403, 403]);
    expect(t.dynamoProxy.calls).toEqual([]);
    expect(t.sqsProxy.calls).toEqual([]);
    expect(await contexts()).toHaveLength(0);
  });

  it('a missing signature → 403 from the handler (400 from the gateway validator), with zero AWS calls', async () => {
    const { waId } = await metaConversation();
    const body = metaWebhookBody([[{ phoneNumberId: PNID, messages: [textMessage(waId, 'unsigned')] }]]);
    t.dynamoProxy.reset();
    t.sqsProxy.reset();

    const viaGateway = await post(body, null);
    const atHandler = await t.stack.handler(
      buildRestEvent({
        method: 'POST',
        path: '/whatsapp/meta',
        headers: [['Content-Type', 'application/json']],
        body,
      }),
    );

    expect(viaGateway.status).toBe(400);
    expect(atHandler.statusCode).toBe(403);
    expect(t.dynamoProxy.calls).toEqual([]);
    expect(t.sqsProxy.calls).toEqual([]);
  });
});

describe('Twilio WhatsApp media', () => {
  it('a PDF sent through Twilio → stored in S3 with its sha256', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(40_000, 7), Buffer.from('\n%%EOF\n')]);
    const sid = messageSid();
    const mediaPath = `/2010-04-01/Accounts/${DEMO.accountSid}/Messages/${sid}/Media/ME${'0'.repeat(32)}`;
    meta.twilioMedia.set(mediaPath, { bytes: pdf, mimeType: 'application/pdf' });
    const params = inboundParams({
      From: `whatsapp:${DEMO.aiSender}`,
      To: DEMO.whatsappNumber,
      AccountSid: DEMO.accountSid,
      MessageSid: sid,
      Body: '',
      NumMedia: '1',
      MediaUrl0: `${meta.twilioBaseUrl}${mediaPath}`,
      MediaContentType0: 'application/pdf',
    });

    const response = await postTwilioWebhook({
      url: t.url('/whatsapp'),
      authToken: DEMO.authToken,
      params,
    });

    expect(response.status).toBe(200);
    const [context] = await contexts();
    assertValidContext(context);
    const [stored] = storedOf(context);
    expect(stored).toMatchObject({ content_type: 'application/pdf', size: pdf.length, sha256: sha256(pdf) });
    const s3 = bucketReader(t.stack.s3, t.stack.config.attachmentsBucket);
    expect((await s3.object(stored?.s3.key ?? '')).equals(pdf)).toBe(true);
    expect(context?.message.media).toEqual([expect.objectContaining({ stored: true })]);
  });
});
