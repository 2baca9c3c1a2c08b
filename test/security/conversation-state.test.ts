import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { TABLES } from '../../src/resources.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import type { QueuedContext } from '../helpers/context-schema.js';
import { seedConversation, ukSender } from '../helpers/conversations.js';
import { providersAt, useOutboxServer } from '../helpers/outbox-server.js';
import { useTestStack } from '../helpers/test-stack.js';

const provider = useOutboxServer();
const t = useTestStack(() => providersAt(provider));
beforeEach(async () => {
  await Promise.all([t.drain('whatsappReplies'), t.drain('handoff')]);
});

const whatsapp = (sender: string, overrides: Record<string, string> = {}) =>
  postTwilioWebhook({
    url: t.url('/whatsapp'),
    authToken: DEMO.authToken,
    params: inboundParams({
      From: `whatsapp:${sender}`,
      To: DEMO.whatsappNumber,
      AccountSid: DEMO.accountSid,
      ...overrides,
    }),
  });

describe('attack: a retry after a newer conversation was opened', () => {
  it('is recognised as a duplicate of the message queued for the older conversation', async () => {
    const older = await seedConversation(t, 'whatsapp');
    const params = inboundParams({ From: older.from, To: older.to, AccountSid: DEMO.accountSid });
    const deliver = () => postTwilioWebhook({ url: t.url('/whatsapp'), authToken: DEMO.authToken, params });

    expect((await deliver()).status).toBe(200);
    // The outbound system opens a newer conversation with the same sender on the same channel, and closes the old.
    await t.doc.send(
      new PutCommand({
        TableName: TABLES.conversations.localName,
        Item: {
          primary_channel: older.sender,
          conversation_id: `${older.conversationId}-newer`,
          conversation_status: 'active',
          channel_type: 'whatsapp',
          company_channel: older.to,
          credentials_reference: DEMO.credentials.whatsapp,
          hand_off_to_human: false,
          ...DEMO.company,
          updated_at: new Date(Date.now() + 60_000).toISOString(),
        },
      }),
    );
    await t.doc.send(
      new UpdateCommand({
        TableName: TABLES.conversations.localName,
        Key: { primary_channel: older.sender, conversation_id: older.conversationId },
        UpdateExpression: 'SET conversation_status = :closed',
        ExpressionAttributeValues: { ':closed': 'closed' },
      }),
    );
    const retry = await deliver();

    expect(retry.status).toBe(200);
    const queued = (await t.drain('whatsappReplies')) as QueuedContext[];
    expect(queued.map((c) => c.conversation.conversation_id)).toEqual([older.conversationId]);
  });
});

describe('attack: STOP, then a message, from a sender with no conversation', () => {
  it('remembers the opt-out: no fallback after STOP; START clears it', async () => {
    const sender = ukSender();

    expect((await whatsapp(sender, { Body: 'STOP' })).status).toBe(200);
    expect((await whatsapp(sender, { Body: 'hi' })).status).toBe(200);
    expect(provider.outbox.entries).toEqual([]);

    expect((await whatsapp(sender, { Body: 'START' })).status).toBe(200);
    expect(provider.outbox.entries).toEqual([]);
    expect((await whatsapp(sender, { Body: 'hello again' })).status).toBe(200);
    expect(provider.outbox.entries).toHaveLength(1);
  });

  it('remembers an opt-out declared by Advanced Opt-Out (OptOutType) as well', async () => {
    const sender = ukSender();

    await whatsapp(sender, { Body: 'arrêt', OptOutType: 'STOP' });
    await whatsapp(sender, { Body: 'hi' });

    expect(provider.outbox.entries).toEqual([]);
  });
});
