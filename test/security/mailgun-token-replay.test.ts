import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { encodeMailgunBody } from '../../src/kit/mailgun-webhook.js';
import { mailgunFields } from '../fixtures/mailgun-webhooks.js';
import { seedConversation } from '../helpers/conversations.js';
import { useTestStack } from '../helpers/test-stack.js';

/**
 * Attack: a captured Mailgun post (its timestamp, token and signature; the signature covers nothing else) reused
 * with content of the attacker's choosing inside the 12-hour window. The token is bound to the message it first
 * came with, so only that same message passes again (and is a duplicate).
 */
const t = useTestStack();

async function post(fields: Record<string, string>, cv: Buffer) {
  const { contentType, body } = await encodeMailgunBody(
    Object.entries(fields),
    [{ filename: 'cv.pdf', contentType: 'application/pdf', data: cv }],
    'multipart',
  );
  const response = await fetch(t.url('/email'), {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: new Uint8Array(body),
  });
  return response.status;
}

describe('attack: a captured Mailgun token reused with another message', () => {
  it.each([
    ['another reply text', { text: 'Please send the offer to my other address.' }, false],
    ['the same text with a forged CV of the same size', {}, true],
  ])('%s: 403, nothing queued or stored for it', async (_case, change, swapCv) => {
    // Prepare: the genuine post, accepted.
    const conversation = await seedConversation(t, 'email');
    const token = randomBytes(25).toString('hex');
    const timestamp = Math.floor(Date.now() / 1000);
    const genuine = {
      sender: conversation.sender,
      recipient: DEMO.emailAddress,
      signingKey: DEMO.signingKey,
    };
    const messageId = `<genuine-${token.slice(0, 8)}@mail.example.com>`;
    const cv = randomBytes(4096);
    expect(await post(mailgunFields({ ...genuine, token, timestamp, messageId, text: 'My CV.' }), cv)).toBe(
      200,
    );
    await t.drain('emailReplies');
    t.sqsProxy.reset();

    // Act: the captured timestamp, token and signature with the attacker's content.
    const forged = mailgunFields({ ...genuine, token, timestamp, messageId, text: 'My CV.', ...change });
    const status = await post(forged, swapCv ? randomBytes(4096) : cv);

    // Assess
    expect(status).toBe(403);
    expect(t.sqsProxy.count('SendMessage')).toBe(0);
    expect(await t.drain('emailReplies')).toEqual([]);
  });
});
