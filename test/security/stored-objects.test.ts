import { randomBytes } from 'node:crypto';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import type { MailgunStorage } from '../../src/local/mailgun-storage.js';
import { buildMime } from '../../src/local/ses/build-mime.js';
import { QUEUES, type QueueKey, TABLES } from '../../src/resources.js';
import { emailMessageId } from '../fixtures/mailgun-webhooks.js';
import { assertValidContext, type QueuedContext } from '../helpers/context-schema.js';
import { conversationItem, seedConversation } from '../helpers/conversations.js';
import { localS3Client } from '../helpers/local-s3.js';
import { postInlineAttachments, postStoreNotify } from '../helpers/mailgun-posts.js';
import { sesDeliveries } from '../helpers/ses-deliveries.js';
import { bucketReader, sha256, storedOf } from '../helpers/stored-attachments.js';
import { useTestStack } from '../helpers/test-stack.js';

/**
 * The second outside review's attacks on stored attachments (CVs), through the local stack with the S3 emulator and
 * the local Mailgun storage API: replacing a stored CV, making the API key fetch another path, sender-chosen names
 * and types, and SES mail whose virus scan was not clean.
 */
const t = useTestStack();
const DOMAIN = DEMO.emailAddress.split('@')[1] as string;
let s3: S3Client;
let reader: ReturnType<typeof bucketReader>;
const ses = sesDeliveries(
  () => t,
  () => s3,
);
beforeAll(() => {
  s3 = localS3Client(t.stack.s3Endpoint);
  reader = bucketReader(s3, t.stack.config.attachmentsBucket);
});
afterAll(() => s3.destroy());
beforeEach(async () => {
  for (const key of Object.keys(QUEUES) as QueueKey[]) await t.drain(key);
});

const storage = () => t.stack.outbox.storage as MailgunStorage;

async function queued(queue: 'emailReplies' | 'handoff' = 'emailReplies'): Promise<QueuedContext> {
  const contexts = (await t.drain(queue)) as QueuedContext[];
  expect(contexts).toHaveLength(1);
  assertValidContext(contexts[0]);
  return contexts[0] as QueuedContext;
}

const inline = (
  sender: string,
  messageId: string,
  attachments: { name: string; type: string; content: Buffer }[],
) => postInlineAttachments(t.url('/email'), sender, messageId, attachments);

/** A store(notify) notification as Mailgun posts it, with the refs the attacker chose. */
const notify = async (
  sender: string,
  refs: { 'message-url': string; attachments: string },
): Promise<number> => (await postStoreNotify(t.url('/email'), sender, refs)).status;

describe('attack: a second message reusing a Message-Id replaces a stored CV (review 2, item 4)', () => {
  it('after the first message’s receipt has rotated out, the first context’s object is still its CV', async () => {
    const candidate = await seedConversation(t, 'email');
    const messageId = emailMessageId();
    const cv = randomBytes(20 * 1024);
    expect(
      (await inline(candidate.sender, messageId, [{ name: 'cv.pdf', type: 'application/pdf', content: cv }]))
        .status,
    ).toBe(200);
    const [first] = storedOf(await queued());

    // The receipts rotate (100 entries or 24 h): simulated by removing this message's receipt.
    const item = await conversationItem(t, candidate);
    const receipts = Object.keys(item).filter((name) => name.startsWith('rx_'));
    expect(receipts).toHaveLength(1);
    await t.doc.send(
      new UpdateCommand({
        TableName: TABLES.conversations.localName,
        Key: { primary_channel: candidate.sender, conversation_id: candidate.conversationId },
        UpdateExpression: `REMOVE ${receipts.map((_, i) => `#r${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(receipts.map((name, i) => [`#r${i}`, name])),
      }),
    );
    const forged = Buffer.from('%PDF-1.7 not the candidate’s CV');
    expect(
      (
        await inline(candidate.sender, messageId, [
          { name: 'cv.pdf', type: 'application/pdf', content: forged },
        ])
      ).status,
    ).toBe(200);
    const [second] = storedOf(await queued());

    expect(second?.s3.key).not.toBe(first?.s3.key);
    const stillThere = await reader.object(first?.s3.key ?? '');
    expect(sha256(stillThere)).toBe(first?.sha256);
    expect(stillThere.equals(cv)).toBe(true);
  });
});

describe('attack: a signed notification names another path on the storage host (review 2, item 5)', () => {
  it('another stored message (its JSON) as an "attachment": 406, never fetched, nothing stored or queued', async () => {
    const candidate = await seedConversation(t, 'email');
    const own = storage().store(DOMAIN, { subject: 'mine' }, [
      { name: 'cv.pdf', contentType: 'application/pdf', data: randomBytes(100) },
    ]);
    const other = storage().store(DOMAIN, { subject: 'someone else’s email', 'body-plain': 'private' }, []);
    const before = storage().requests.length;

    const status = await notify(candidate.sender, {
      'message-url': own['message-url'],
      attachments: JSON.stringify([
        { url: other['message-url'], 'content-type': 'application/pdf', name: 'cv.pdf', size: 10 },
      ]),
    });

    expect(status).toBe(406);
    expect(storage().requests.slice(before)).toEqual([]);
    expect(await t.drain('emailReplies')).toEqual([]);
  });

  it('an attachment of another stored message: 406, never fetched', async () => {
    const candidate = await seedConversation(t, 'email');
    const own = storage().store(DOMAIN, { subject: 'mine' }, []);
    const other = storage().store(DOMAIN, { subject: 'theirs' }, [
      { name: 'their-cv.pdf', contentType: 'application/pdf', data: randomBytes(100) },
    ]);
    const before = storage().requests.length;

    const status = await notify(candidate.sender, {
      'message-url': own['message-url'],
      attachments: other.attachments,
    });

    expect(status).toBe(406);
    expect(storage().requests.slice(before)).toEqual([]);
  });
});

describe('attack: sender-chosen filenames and types (review 2, item 6)', () => {
  const RLO = '\u202E';
  const declaredHtml = 'text/html';

  async function expectSafe(stored: ReturnType<typeof storedOf>[number] | undefined, declared: string) {
    expect(stored?.filename).toBeDefined();
    const name = stored?.filename ?? '';
    const unsafe = [...name].filter((char) => {
      const code = char.codePointAt(0) ?? 0;
      return '/\\'.includes(char) || code < 0x20 || code === 0x7f || (code >= 0x202a && code <= 0x202e);
    });
    expect(unsafe).toEqual([]);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(stored?.content_type).toBe(declared);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: t.stack.config.attachmentsBucket, Key: stored?.s3.key ?? '' }),
    );
    expect(head.ContentType).toBe('application/octet-stream');
    expect(head.Metadata?.['declared-content-type']).toBe(declared);
  }

  it('store(notify): path segments, NUL and a right-to-left override in the name, text/html as the type', async () => {
    const candidate = await seedConversation(t, 'email');
    const refs = storage().store(DOMAIN, {}, [
      {
        name: `../../etc/cv${RLO}fdp.exe\u0000`,
        contentType: declaredHtml,
        data: Buffer.from('<script>alert(1)</script>'),
      },
    ]);
    expect(await notify(candidate.sender, refs)).toBe(200);
    const [stored] = storedOf(await queued());
    await expectSafe(stored, declaredHtml);
  });

  it('inline forward(): a right-to-left override in the name, image/svg+xml as the type', async () => {
    const candidate = await seedConversation(t, 'email');
    const response = await inline(candidate.sender, emailMessageId(), [
      { name: `cv${RLO}fdp.exe`, type: 'image/svg+xml', content: Buffer.from('<svg onload="alert(1)"/>') },
    ]);
    expect(response.status).toBe(200);
    const [stored] = storedOf(await queued());
    await expectSafe(stored, 'image/svg+xml');
  });

  it('SES: a right-to-left override in the MIME filename, text/html as the type', async () => {
    const candidate = await ses.conversation();
    const response = await ses.deliver({
      source: candidate.sender,
      mime: {
        from: candidate.sender,
        to: DEMO.sesEmailAddress,
        text: 'My CV.',
        attachment: {
          filename: `cv${RLO}fdp.exe`,
          contentType: declaredHtml,
          bytes: Buffer.from('<b>x</b>'),
        },
      },
    });
    expect(response.status).toBe(200);
    const [stored] = storedOf(await queued());
    await expectSafe(stored, declaredHtml);
  });
});

describe('attack: SES mail whose virus scan was not clean, and attachments over the limit (review 2, item 7)', () => {
  it.each(['PROCESSING_FAILED', 'GRAY'])(
    'virus verdict %s → handoff with reason virus, nothing stored',
    async (verdict) => {
      const candidate = await ses.conversation();
      const prefix = `attachments/${DEMO.company.company_id}/${candidate.conversationId}/`;
      const response = await ses.deliver({
        source: candidate.sender,
        verdicts: { virus: verdict },
        mime: {
          from: candidate.sender,
          to: DEMO.sesEmailAddress,
          text: 'My CV.',
          attachment: { filename: 'cv.pdf', contentType: 'application/pdf', bytes: randomBytes(1024) },
        },
      });
      expect(response.status).toBe(200);
      expect(await t.drain('emailReplies')).toEqual([]);
      const context = await queued('handoff');
      expect(context.processing.handoff_reason).toBe('virus');
      expect(storedOf(context)).toEqual([]);
      expect(context.message.dropped_attachments).toBe(1);
      expect(await reader.keysUnder(prefix)).toEqual([]);
    },
  );

  it('21 attachments: 20 stored, the one dropped counted in the context', async () => {
    const candidate = await ses.conversation();
    const attachments = Array.from({ length: 21 }, (_, i) => ({
      filename: `doc-${i}.pdf`,
      contentType: 'application/pdf',
      bytes: randomBytes(64),
    }));
    const response = await ses.deliver({
      source: candidate.sender,
      mime: buildMime({ from: candidate.sender, to: DEMO.sesEmailAddress, text: 'Documents.', attachments }),
    });
    expect(response.status).toBe(200);
    const context = await queued();
    expect(storedOf(context)).toHaveLength(20);
    expect(context.message.dropped_attachments).toBe(1);
  });
});
