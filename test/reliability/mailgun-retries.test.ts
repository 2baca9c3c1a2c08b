import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { encodeMailgunBody } from '../../src/kit/mailgun-webhook.js';
import { mailgunFields } from '../fixtures/mailgun-webhooks.js';
import { seedConversation } from '../helpers/conversations.js';
import { useTestStack } from '../helpers/test-stack.js';

/**
 * Mailgun's retries carry the original timestamp, token and signature (its signature covers only those two), for
 * about 8 hours. Each case posts what Mailgun would post, through the local stack, with fault proxies in front of
 * DynamoDB and SQS.
 */
const t = useTestStack({ awsCallTimeoutMs: 300 });

const PDF = { filename: 'cv.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4 the cv') };

/** The same signed fields, encoded afresh: a new multipart boundary each time, and the field order as given. */
async function post(fields: Record<string, string>, order: 'as-signed' | 'reversed' = 'as-signed') {
  const entries = Object.entries(fields);
  const { contentType, body } = await encodeMailgunBody(
    order === 'reversed' ? entries.reverse() : entries,
    [PDF],
    'multipart',
  );
  const response = await fetch(t.url('/email'), {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: new Uint8Array(body),
  });
  return { status: response.status, body: await response.text(), boundary: contentType.split('=')[1] };
}

async function signedEmail(overrides: { timestamp?: number; token?: string; text?: string } = {}) {
  const conversation = await seedConversation(t, 'email');
  return mailgunFields({
    sender: conversation.sender,
    recipient: DEMO.emailAddress,
    signingKey: DEMO.signingKey,
    ...overrides,
  });
}

type Queued = { message: { message_id: string; body: string; attachments: unknown[] } };

describe('a Mailgun retry is the same message, not a replay', () => {
  it('re-sent after a 503, re-encoded with another boundary and field order: 200 and exactly one queued', async () => {
    // Prepare
    const fields = await signedEmail();
    t.sqsProxy.mode = { kind: 'fail' };
    const first = await post(fields);
    t.sqsProxy.mode = { kind: 'pass' };

    // Act
    const retry = await post(fields, 'reversed');
    const again = await post(fields);

    // Assess
    expect(first.status).toBe(503);
    expect(retry.boundary).not.toBe(first.boundary);
    expect([retry.status, again.status]).toEqual([200, 200]);
    const queued = (await t.drain('emailReplies')) as Queued[];
    expect(queued).toHaveLength(1);
    expect(queued[0]?.message.attachments).toHaveLength(1);
  });

  it('a first delivery 20 minutes old (delayed at Mailgun) is queued', async () => {
    // Prepare
    const fields = await signedEmail({ timestamp: Math.floor(Date.now() / 1000) - 20 * 60 });

    // Act
    const response = await post(fields);

    // Assess
    expect(response.status).toBe(200);
    expect(await t.drain('emailReplies')).toHaveLength(1);
  });

  it('the answer to the token write lost: the SDK retry finds its own token and the first delivery is queued', async () => {
    // Prepare: the token's PutItem lands, its answer never arrives; the SDK's second attempt meets the item.
    const fields = await signedEmail();
    let tokenWrites = 0;
    t.dynamoProxy.faultFilter = (call) =>
      call.operation === 'PutItem' && call.body.includes('"token#') && ++tokenWrites === 1;
    t.dynamoProxy.mode = { kind: 'drop-response' };

    // Act
    const response = await post(fields);

    // Assess
    expect(tokenWrites).toBe(2);
    expect(response.status).toBe(200);
    expect(await t.drain('emailReplies')).toHaveLength(1);
  });

  it('the same token with another message: 403 and nothing queued for it', async () => {
    // Prepare
    const token = randomBytes(25).toString('hex');
    const timestamp = Math.floor(Date.now() / 1000);
    const genuine = await signedEmail({ token, timestamp, text: 'my real reply' });
    expect((await post(genuine)).status).toBe(200);
    await t.drain('emailReplies');
    t.sqsProxy.reset();
    const forged = await signedEmail({ token, timestamp, text: 'words put in my mouth' });

    // Act
    const response = await post(forged);

    // Assess
    expect(response.status).toBe(403);
    expect(t.sqsProxy.count('SendMessage')).toBe(0);
    expect(await t.drain('emailReplies')).toEqual([]);
  });
});
