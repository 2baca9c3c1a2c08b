import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SQS_MAX_MESSAGE_BYTES } from '../../src/domain/context-bounds.js';
import { postMailgunWebhook, toDemoMailgun } from '../fixtures/mailgun-webhooks.js';
import { assertValidContext, type QueuedContext } from '../helpers/context-schema.js';
import { seedConversation } from '../helpers/conversations.js';
import { bucketReader, sha256 } from '../helpers/stored-attachments.js';
import { useTestStack } from '../helpers/test-stack.js';

const t = useTestStack();

/** About `bytes` of plain text in lines, with non-ASCII and characters JSON must escape. */
function longText(bytes: number): string {
  const line = `Line ${randomInt(1e6)}: "quoted" \\ tab\t café ✓ — my experience in detail.\n`;
  return line.repeat(Math.ceil(bytes / Buffer.byteLength(line)));
}

describe('a context always fits one SQS message', () => {
  it('a 300 KB plain-text email: one queued message under 256 KiB, the whole text in S3 with its sha256', async () => {
    // Prepare
    const conversation = await seedConversation(t, 'email');
    const text = longText(300 * 1024);

    // Act
    const response = await postMailgunWebhook({
      ...toDemoMailgun(t),
      sender: conversation.sender,
      text,
      encoding: 'urlencoded',
    });

    // Assess
    expect(response.status).toBe(200);
    const queued = (await t.drain('emailReplies')) as QueuedContext[];
    expect(queued).toHaveLength(1);
    const context = queued[0] as QueuedContext;
    assertValidContext(context);
    expect(Buffer.byteLength(JSON.stringify(context))).toBeLessThan(SQS_MAX_MESSAGE_BYTES);
    const message = context.message as {
      body: string;
      body_truncated?: boolean;
      full_body?: { size: number; sha256: string; s3: { bucket: string; key: string } };
    };
    expect(message.body_truncated).toBe(true);
    expect(text.startsWith(message.body)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(message.body))).toBeLessThanOrEqual(32 * 1024 + 2);
    const full = message.full_body;
    expect(full?.s3.bucket).toBe(t.stack.config.attachmentsBucket);
    const stored = await bucketReader(t.stack.s3, full?.s3.bucket ?? '').object(full?.s3.key ?? '');
    expect(stored.toString('utf8')).toBe(text);
    expect(full).toMatchObject({ size: Buffer.byteLength(text), sha256: sha256(Buffer.from(text, 'utf8')) });
  });

  it('a short body is queued whole, with no truncation mark', async () => {
    const conversation = await seedConversation(t, 'email');

    const response = await postMailgunWebhook({
      ...toDemoMailgun(t),
      sender: conversation.sender,
      text: 'Short and sweet.',
      encoding: 'urlencoded',
    });

    expect(response.status).toBe(200);
    const [context] = (await t.drain('emailReplies')) as QueuedContext[];
    expect(context?.message).toMatchObject({ body: 'Short and sweet.' });
    expect(context?.message).not.toHaveProperty('body_truncated');
    expect(context?.message).not.toHaveProperty('full_body');
  });
});
