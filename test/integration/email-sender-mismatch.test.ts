import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../src/adapters/aws/s3-client.js';
import { sendCommand } from '../../src/cli/send-command.js';
import { DEMO } from '../../src/kit/demo-data.js';
import type { MailgunStorage } from '../../src/local/mailgun-storage.js';
import { TABLES } from '../../src/resources.js';
import { postMailgunWebhook } from '../fixtures/mailgun-webhooks.js';
import { captureIo } from '../helpers/cli.js';
import { assertValidContext, type QueuedContext } from '../helpers/context-schema.js';
import { seedConversation } from '../helpers/conversations.js';
import { bucketReader, sha256, storedOf } from '../helpers/stored-attachments.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

const CREDENTIALS = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const DOMAIN = DEMO.emailAddress.split('@')[1] as string;
let t: TestStack;
let s3: S3Client;
let object: (key: string) => Promise<Buffer>;
let keysUnder: (prefix: string) => Promise<string[]>;

beforeAll(async () => {
  t = await startTestStack();
  s3 = createS3Client(t.stack.config, CREDENTIALS);
  ({ object, keysUnder } = bucketReader(s3, t.stack.config.attachmentsBucket));
});
afterAll(async () => {
  s3.destroy();
  await t.stop();
});

describe('plus-addressed reply from another sender (sender_mismatch)', () => {
  it('hands it to a human on that conversation, attachments stored, no AI and no fallback', async () => {
    const { conversationId } = await seedConversation(t, 'email');
    const other = `work-${randomInt(1e9)}@employer.example`;
    const cv = randomBytes(10 * 1024);
    const sent = t.stack.outbox.entries.length;

    const response = await postMailgunWebhook({
      url: t.url('/email'),
      signingKey: DEMO.signingKey,
      sender: other,
      recipient: `replies+${conversationId}@${DOMAIN}`,
      attachments: [{ name: 'cv.pdf', type: 'application/pdf', content: cv }],
      timestamp: Math.floor(t.clock.now().getTime() / 1000),
    });

    expect(response.status).toBe(200);
    const [context] = (await t.drain('handoff')) as QueuedContext[];
    assertValidContext(context);
    expect(context?.conversation.conversation_id).toBe(conversationId);
    expect(context?.processing).toMatchObject({ route: 'handoff', handoff_reason: 'sender_mismatch' });
    expect(context?.message.from).toBe(other);
    const [stored] = storedOf(context);
    expect((await object(stored?.s3.key ?? '')).equals(cv)).toBe(true);
    expect(await t.drain('emailReplies')).toEqual([]);
    expect(t.stack.outbox.entries.length).toBe(sent);
  });

  it('never reaches another company’s conversation by its id: unknown sender, nothing stored or queued', async () => {
    const victimId = `conv-mallory-${randomInt(1e9)}`;
    await t.doc.send(
      new PutCommand({
        TableName: TABLES.conversations.localName,
        Item: {
          primary_channel: 'applicant@victim.example',
          conversation_id: victimId,
          conversation_status: 'active',
          hand_off_to_human: false,
          channel_type: 'email',
          company_channel: 'jobs@mail.mallory.example',
          company_id: 'company-mallory',
          receipts: {},
        },
      }),
    );

    const response = await postMailgunWebhook({
      url: t.url('/email'),
      signingKey: DEMO.signingKey,
      sender: `attacker-${randomInt(1e9)}@evil.example`,
      recipient: `replies+${victimId}@${DOMAIN}`,
      attachments: [{ name: 'x.pdf', type: 'application/pdf', content: randomBytes(1024) }],
      timestamp: Math.floor(t.clock.now().getTime() / 1000),
    });

    expect(response.status).toBe(200);
    expect(await t.drain('handoff')).toEqual([]);
    expect(await t.drain('emailReplies')).toEqual([]);
    expect(await keysUnder(`attachments/${DEMO.company.company_id}/${victimId}/`)).toEqual([]);
    expect(await keysUnder('attachments/company-mallory/')).toEqual([]);
  });
});

describe('CLI: send email --attach FILE (repeatable) --store-notify, against the local stack', () => {
  it('stores the message in the local Mailgun storage, posts the notification, and the gateway stores both files', async () => {
    const { sender } = await seedConversation(t, 'email');
    const dir = mkdtempSync(join(tmpdir(), 'store-notify-'));
    const cv = randomBytes(1536 * 1024);
    const letter = Buffer.from('Dear hiring team');
    writeFileSync(join(dir, 'cv.pdf'), cv);
    writeFileSync(join(dir, 'letter.txt'), letter);
    const io = captureIo();
    const storage = t.stack.outbox.storage as MailgunStorage;
    const before = storage.requests.length;

    const code = await sendCommand(
      [
        'email',
        '--from',
        sender,
        '--body',
        'My CV',
        '--attach',
        join(dir, 'cv.pdf'),
        '--attach',
        join(dir, 'letter.txt'),
        '--store-notify',
        '--url',
        t.stack.gatewayUrl,
      ],
      io,
    );

    expect(code, [...io.stdout, ...io.stderr].join('\n')).toBe(0);
    const [context] = (await t.drain('emailReplies')) as QueuedContext[];
    assertValidContext(context);
    const stored = storedOf(context);
    expect(stored.map((a) => [a.filename, a.size, a.sha256])).toEqual([
      ['cv.pdf', cv.length, sha256(cv)],
      ['letter.txt', letter.length, sha256(letter)],
    ]);
    expect((await object(stored[0]?.s3.key ?? '')).equals(cv)).toBe(true);
    // The gateway fetched the attachments from the storage API with the key (the CLI's store call is recorded too).
    expect(storage.requests.slice(before).filter((r) => r.path.includes('/attachments/')).length).toBe(2);
  });
});
