import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { EMPTY_TWIML } from '../../src/http/outcome-response.js';
import { DEMO } from '../../src/kit/demo-data.js';
import {
  inboundParams,
  messageSid,
  postTwilioWebhook,
  twilioSignature,
} from '../fixtures/twilio-webhooks.js';
import { assertValidContext, type QueuedContext as Context } from '../helpers/context-schema.js';
import { useTestStack } from '../helpers/test-stack.js';

const t = useTestStack();

function whatsapp(overrides: Record<string, string> = {}) {
  return inboundParams({
    From: `whatsapp:${DEMO.aiSender}`,
    To: DEMO.whatsappNumber,
    AccountSid: DEMO.accountSid,
    ...overrides,
  });
}

async function send(params: Record<string, string>, signature?: string | null, path = '/whatsapp') {
  return postTwilioWebhook({
    url: t.url(path),
    authToken: DEMO.authToken,
    params,
    ...(signature !== undefined ? { signature } : {}),
  });
}

describe('POST /whatsapp through the local gateway, dynalite and local-aws-sqs', () => {
  it('acknowledges with empty TwiML and queues a schema-valid context for the AI', async () => {
    const params = whatsapp({ Body: 'Is the role remote?' });

    const response = await send(params);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(response.body).toBe(EMPTY_TWIML);
    const [context, ...rest] = (await t.drain('whatsappReplies')) as Context[];
    expect(rest).toHaveLength(0);
    assertValidContext(context);
    expect(context?.message).toMatchObject({
      from: DEMO.aiSender,
      to: DEMO.whatsappNumber,
      body: 'Is the role remote?',
      message_id: params.MessageSid,
    });
    expect(context?.conversation).toMatchObject({
      conversation_id: 'conv-demo-whatsapp-ai',
      hand_off_to_human: false,
    });
    expect(await t.drain('handoff')).toHaveLength(0);
  });

  it('routes a reply in a handed-off conversation to HandoffQueue', async () => {
    const response = await send(whatsapp({ From: `whatsapp:${DEMO.handoffSender}` }));

    expect(response.status).toBe(200);
    const handoff = (await t.drain('handoff')) as Context[];
    expect(handoff).toHaveLength(1);
    assertValidContext(handoff[0]);
    expect(handoff[0]?.processing).toMatchObject({ route: 'handoff', handoff_reason: 'hand_off_to_human' });
    expect(await t.drain('whatsappReplies')).toHaveLength(0);
  });

  it('updates the conversation atomically: summary, timestamps and a growing sequence number', async () => {
    const first = whatsapp();
    const second = whatsapp();

    await send(first);
    await send(second);

    const item = await t.doc.send(
      new GetCommand({
        TableName: 'Conversations',
        Key: { primary_channel: DEMO.aiSender, conversation_id: 'conv-demo-whatsapp-ai' },
      }),
    );
    const contexts = (await t.drain('whatsappReplies')) as { conversation: { sequence_number: number } }[];
    const sequence = contexts.map((c) => c.conversation.sequence_number);
    expect(sequence[1]).toBe((sequence[0] ?? 0) + 1);
    expect(item.Item?.last_inbound_message).toMatchObject({
      message_id: second.MessageSid,
      channel_type: 'whatsapp',
    });
    expect(typeof item.Item?.last_inbound_at).toBe('string');
    expect(item.Item?.message_seq).toBe(sequence[1]);
  });

  it('makes exactly four AWS calls for an accepted webhook once caches are warm', async () => {
    await send(whatsapp());
    t.dynamoProxy.reset();
    t.sqsProxy.reset();

    const response = await send(whatsapp());

    expect(response.status).toBe(200);
    expect([...t.dynamoProxy.calls].sort()).toEqual(['Query', 'UpdateItem', 'UpdateItem']);
    expect(t.sqsProxy.calls).toEqual(['SendMessage']);
    await t.drain('whatsappReplies');
  });

  it('acknowledges a repeated MessageSid without queueing it again', async () => {
    const params = whatsapp();

    const first = await send(params);
    const second = await send(params);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await t.drain('whatsappReplies')).toHaveLength(1);
  });

  it.each([
    ['a forged signature', (p: Record<string, string>) => send(p, 'bm90LWEtc2lnbmF0dXJlLWF0LWFsbA==')],
    [
      'the wrong auth token',
      (p: Record<string, string>) =>
        postTwilioWebhook({ url: t.url('/whatsapp'), authToken: 'wrong-token', params: p }),
    ],
    [
      'a signature for another URL',
      (p: Record<string, string>) => send(p, twilioSignature(DEMO.authToken, t.url('/sms'), p)),
    ],
  ])('answers 403 to %s and touches no conversation, table or queue', async (_name, attempt) => {
    const params = whatsapp();
    await send(whatsapp()); // warm the registry and secret caches
    await t.drain('whatsappReplies');
    t.dynamoProxy.reset();
    t.sqsProxy.reset();

    const response = await attempt({ ...params, MessageSid: messageSid() });

    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ message: 'Forbidden' });
    expect(t.dynamoProxy.calls).toEqual([]);
    expect(t.sqsProxy.calls).toEqual([]);
    expect(await t.drain('whatsappReplies')).toHaveLength(0);
  });

  it("answers 400 with API Gateway's body when X-Twilio-Signature is missing", async () => {
    const response = await send(whatsapp(), null);

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      message: 'Missing required request parameters: [X-Twilio-Signature]',
    });
    expect(t.dynamoProxy.calls).toEqual([]);
  });

  it('answers 403 to an unknown To without reading conversations', async () => {
    const response = await send(whatsapp({ To: 'whatsapp:+15005550006' }));

    expect(response.status).toBe(403);
    expect(t.dynamoProxy.calls).toEqual(['GetItem']);
  });

  it.each([
    ['From', { From: undefined }, 'Missing field: From'],
    ['MessageSid', { MessageSid: 'SM123' }, 'Invalid field MessageSid'],
    ['AccountSid', { AccountSid: 'AC00000000000000000000000000000000' }, 'Invalid field AccountSid'],
    ['Body', { Body: undefined }, 'Missing field: Body'],
  ])('answers a signed request with a bad %s with 400 naming it', async (_field, change, message) => {
    const params = whatsapp();
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) delete params[key];
      else params[key] = value;
    }

    const response = await send(params);

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).message).toContain(message);
    expect(await t.drain('whatsappReplies')).toHaveLength(0);
  });

  it('accepts an empty Body when the message carries media (kept by reference when it cannot be fetched)', async () => {
    const params = whatsapp({
      Body: '',
      NumMedia: '1',
      MediaUrl0: 'https://api.twilio.com/media/1',
      MediaContentType0: 'image/jpeg',
    });

    const response = await send(params);

    expect(response.status).toBe(200);
    const [context] = (await t.drain('whatsappReplies')) as Context[];
    assertValidContext(context);
    // Not under this stack's Twilio base URL, so never fetched with the account's credentials: the context keeps
    // Twilio's reference and says it was not stored.
    expect(context?.message.media).toEqual([
      {
        url: 'https://api.twilio.com/media/1',
        content_type: 'image/jpeg',
        stored: false,
        not_stored_reason: 'refused-url',
      },
    ]);
  });

  it('answers 413 to a body over 64 KB and 415 to a non-form content type', async () => {
    const big = whatsapp({ Body: 'x'.repeat(70 * 1024) });
    const tooLarge = await send(big);
    const json = await fetch(t.url('/whatsapp'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Twilio-Signature': 'x' },
      body: '{}',
    });

    expect(tooLarge.status).toBe(413);
    expect(json.status).toBe(415);
    expect(await json.text()).not.toMatch(/at .*\.ts|Error:/);
  });

  it('answers 403 Missing Authentication Token to unknown routes and methods', async () => {
    const unknown = await fetch(t.url('/nope'), { method: 'POST' });
    const get = await fetch(t.url('/whatsapp'));

    expect([unknown.status, get.status]).toEqual([403, 403]);
    expect(await unknown.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('answers 5xx with a generic body when DynamoDB fails after verification, and queues nothing', async () => {
    await send(whatsapp());
    await t.drain('whatsappReplies');
    t.dynamoProxy.mode = { kind: 'fail' };

    const response = await send(whatsapp());

    expect(response.status).toBe(503);
    expect(JSON.parse(response.body)).toEqual({ message: 'Service temporarily unavailable, please retry' });
    t.dynamoProxy.mode = { kind: 'pass' };
    expect(await t.drain('whatsappReplies')).toHaveLength(0);
  });
});
