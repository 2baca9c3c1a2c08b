import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { conversationItem } from '../../src/kit/table-items.js';
import { OBSERVABILITY } from '../../src/resources.js';
import { emailMessageId, postMailgunWebhook } from '../fixtures/mailgun-webhooks.js';
import {
  demoStatusParams,
  inboundParams,
  messageSid,
  postTwilioWebhook,
} from '../fixtures/twilio-webhooks.js';
import { assertValidContext, type QueuedContext as Context } from '../helpers/context-schema.js';
import { useTestStack } from '../helpers/test-stack.js';

const t = useTestStack();

const twilio = (path: string, params: Record<string, string>) =>
  postTwilioWebhook({ url: t.url(path), authToken: DEMO.authToken, params });
const email = (overrides: Partial<Parameters<typeof postMailgunWebhook>[0]> = {}) =>
  postMailgunWebhook({
    url: t.url('/email'),
    signingKey: DEMO.signingKey,
    sender: DEMO.emailSender,
    recipient: DEMO.emailAddress,
    ...overrides,
  });

describe('SMS', () => {
  it('lands a Twilio-signed SMS on SmsRepliesQueue', async () => {
    const response = await twilio(
      '/sms',
      inboundParams({
        From: DEMO.aiSender,
        To: DEMO.smsNumber,
        AccountSid: DEMO.accountSid,
        Body: 'sms reply',
      }),
    );

    expect(response.status).toBe(200);
    const [context] = (await t.drain('smsReplies')) as Context[];
    assertValidContext(context);
    expect(context?.meta.channel_type).toBe('sms');
    expect(context?.conversation.conversation_id).toBe('conv-demo-sms-ai');
    expect(context?.message).toMatchObject({ from: DEMO.aiSender, to: DEMO.smsNumber, body: 'sms reply' });
  });

  it('refuses a WhatsApp-shaped address on /sms with 400', async () => {
    const response = await twilio(
      '/sms',
      inboundParams({ From: `whatsapp:${DEMO.aiSender}`, To: DEMO.smsNumber, AccountSid: DEMO.accountSid }),
    );

    expect(response.status).toBe(400);
  });
});

describe('email (Mailgun routes)', () => {
  it('lands a signed multipart email with an attachment on EmailRepliesQueue, matched by sender', async () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x10, 0x80]);
    const messageId = emailMessageId();

    const response = await email({
      messageId,
      subject: 'Re: Interview',
      inReplyTo: '<outbound-1@mail.cucumber.example>',
      attachments: [{ name: 'cv.pdf', type: 'application/pdf', content: pdf }],
    });

    expect(response.status).toBe(200);
    const [context] = (await t.drain('emailReplies')) as Context[];
    assertValidContext(context);
    expect(context?.conversation.conversation_id).toBe('conv-demo-email-ai');
    expect(context?.message).toMatchObject({
      from: DEMO.emailSender,
      to: DEMO.emailAddress,
      body: 'Thanks, I am interested.',
      message_id: messageId,
      subject: 'Re: Interview',
      in_reply_to: '<outbound-1@mail.cucumber.example>',
      attachments: [{ filename: 'cv.pdf', content_type: 'application/pdf', size: pdf.length }],
    });
  });

  it('matches a plus-addressed recipient to that conversation of the sender, whatever channel address it was opened on', async () => {
    await t.doc.send(
      new PutCommand({
        TableName: 'Conversations',
        Item: conversationItem({
          sender: 'forwarder@example.net',
          conversationId: 'conv-Plus-42',
          channel: 'email',
          companyChannel: 'someone-else@mail.cucumber.example',
          credentialsReference: DEMO.credentials.email,
          company: DEMO.company,
        }),
      }),
    );

    const response = await email({
      sender: 'forwarder@example.net',
      recipient: 'replies+conv-Plus-42@mail.cucumber.example',
      encoding: 'urlencoded',
    });

    expect(response.status).toBe(200);
    const [context] = (await t.drain('emailReplies')) as Context[];
    assertValidContext(context);
    expect(context?.conversation.conversation_id).toBe('conv-Plus-42');
  });

  it.each([
    ['a wrong signature', { signature: 'a'.repeat(64) }],
    ['a timestamp older than 12 hours', { timestamp: Math.floor(Date.now() / 1000) - 12 * 3600 - 60 }],
    ['a malformed signature', { signature: 'not-hex' }],
  ])('answers 403 to %s and writes or queues nothing', async (_name, change) => {
    const response = await email(change);

    expect(response.status).toBe(403);
    expect(t.dynamoProxy.calls.filter((c) => c !== 'GetItem')).toEqual([]);
    expect(t.sqsProxy.calls).toEqual([]);
  });

  it('answers 403 to a token reused with another message, and queues the message only once', async () => {
    const token = 'f'.repeat(50);
    const timestamp = Math.floor(Date.now() / 1000);

    const first = await email({ token, timestamp });
    const replay = await email({ token, timestamp });

    expect([first.status, replay.status]).toEqual([200, 403]);
    expect(await t.drain('emailReplies')).toHaveLength(1);
  });

  it('answers 415 to an unsupported content type and 400 to a truncated multipart body', async () => {
    const text = await fetch(t.url('/email'), {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'hi',
    });
    const truncated = await fetch(t.url('/email'), {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="recipient"\r\n\r\nreplies@mail',
    });

    expect(text.status).toBe(415);
    expect(truncated.status).toBe(400);
  });
});

describe('CORS', () => {
  it.each(['/whatsapp', '/sms', '/email'])(
    'answers OPTIONS %s with 204 and the CORS headers',
    async (path) => {
      const response = await fetch(t.url(path), { method: 'OPTIONS' });

      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toBe('OPTIONS,POST');
      expect(response.headers.get('access-control-allow-headers')).toContain('X-Twilio-Signature');
    },
  );

  it('puts Access-Control-Allow-Origin on POST answers and keeps unknown routes at 403', async () => {
    const post = await twilio(
      '/whatsapp',
      inboundParams({
        From: `whatsapp:${DEMO.aiSender}`,
        To: DEMO.whatsappNumber,
        AccountSid: DEMO.accountSid,
      }),
    );
    const unknown = await fetch(t.url('/voice'), { method: 'OPTIONS' });

    expect(post.headers.get('access-control-allow-origin')).toBe('*');
    expect(unknown.status).toBe(403);
    await t.drain('whatsappReplies');
  });
});

describe('status callbacks and opt-outs', () => {
  it('acknowledges a signed delivery status callback with 200, counts it and queues nothing', async () => {
    const before = t.metrics.get(OBSERVABILITY.metrics.statusCallback);
    const response = await twilio('/whatsapp', demoStatusParams('whatsapp'));

    expect(response.status).toBe(200);
    expect(t.sqsProxy.calls).toEqual([]);
    expect(t.metrics.get(OBSERVABILITY.metrics.statusCallback)).toBe(before + 1);
  });

  it('sets opted_out on STOP and sends it to HandoffQueue, never the AI queue; START clears it', async () => {
    const key = { primary_channel: DEMO.aiSender, conversation_id: 'conv-demo-sms-ai' };
    const sms = (body: string) =>
      inboundParams({ From: DEMO.aiSender, To: DEMO.smsNumber, AccountSid: DEMO.accountSid, Body: body });

    await twilio('/sms', sms('Stop'));
    const afterStop = await t.doc.send(new GetCommand({ TableName: 'Conversations', Key: key }));
    const stopped = (await t.drain('handoff')) as Context[];
    await twilio('/sms', sms('hello again'));
    const whileOptedOut = (await t.drain('handoff')) as Context[];
    await twilio('/sms', sms('START'));
    const afterStart = await t.doc.send(new GetCommand({ TableName: 'Conversations', Key: key }));
    await t.drain('handoff');

    expect(afterStop.Item?.opted_out).toBe(true);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]?.processing).toMatchObject({ route: 'handoff', handoff_reason: 'opt_out' });
    expect(stopped[0]?.conversation.opted_out).toBe(true);
    expect(whileOptedOut[0]?.processing.handoff_reason).toBe('opted_out');
    expect(afterStart.Item?.opted_out).toBe(false);
    expect(await t.drain('smsReplies')).toHaveLength(0);
  });

  it('routes HELP to HandoffQueue', async () => {
    await twilio(
      '/whatsapp',
      inboundParams({
        From: `whatsapp:${DEMO.aiSender}`,
        To: DEMO.whatsappNumber,
        AccountSid: DEMO.accountSid,
        Body: 'help',
      }),
    );

    const handoff = (await t.drain('handoff')) as Context[];
    expect(handoff[0]?.processing.handoff_reason).toBe('help');
  });

  it('carries media, profile name, buttons and location into the context', async () => {
    const params = inboundParams({
      From: `whatsapp:${DEMO.aiSender}`,
      To: DEMO.whatsappNumber,
      AccountSid: DEMO.accountSid,
      Body: '',
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/m/0',
      MediaContentType0: 'image/png',
      MediaUrl1: 'https://api.twilio.com/m/1',
      MediaContentType1: 'application/pdf',
      ProfileName: 'Ada',
      ButtonText: 'Yes',
      ButtonPayload: 'confirm',
      Latitude: '51.5',
      Longitude: '-0.12',
      Label: 'Office',
      OriginalRepliedMessageSid: messageSid(),
    });

    await twilio('/whatsapp', params);

    const [context] = (await t.drain('whatsappReplies')) as Context[];
    assertValidContext(context);
    expect(context?.message).toMatchObject({
      profile_name: 'Ada',
      button: { text: 'Yes', payload: 'confirm' },
      location: { latitude: 51.5, longitude: -0.12, label: 'Office' },
      original_replied_message_sid: params.OriginalRepliedMessageSid,
    });
    expect(context?.message.media).toHaveLength(2);
  });
});
