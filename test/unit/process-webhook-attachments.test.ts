import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { mailgunRequest } from '../../src/kit/mailgun-webhook.js';
import { OBSERVABILITY } from '../../src/resources.js';
import { emailMessageId, mailgunFields } from '../fixtures/mailgun-webhooks.js';
import { HOOKS_BASE_URL, handleSigned } from '../fixtures/signed-events.js';
import {
  type FakeDependencies,
  fakeDependencies,
  seedFakeConversation,
} from '../helpers/fakes/fake-dependencies.js';

const M = OBSERVABILITY.metrics;
const CV = Buffer.from('%PDF-1.7 a candidate');
const STORAGE = 'https://storage-us-east4.api.mailgun.net/v3/domains/mail.cucumber.example/messages/k';

let deps: FakeDependencies;
beforeEach(() => {
  deps = fakeDependencies();
  seedFakeConversation(deps, 'email', DEMO.emailSender, { conversationId: 'conv-email-1' });
});

async function post(input: {
  sender?: string;
  recipient?: string;
  messageId?: string;
  files?: Buffer[];
  extra?: Record<string, string>;
}) {
  const fields = mailgunFields({
    sender: input.sender ?? DEMO.emailSender,
    recipient: input.recipient ?? DEMO.emailAddress,
    signingKey: DEMO.signingKey,
    timestamp: Math.floor(deps.clock.now().getTime() / 1000),
    ...(input.messageId ? { messageId: input.messageId } : {}),
    ...(input.extra ? { extra: input.extra } : {}),
  });
  const files = (input.files ?? []).map((data, i) => ({
    filename: `f${i}.pdf`,
    contentType: 'application/pdf',
    data,
  }));
  const signed = await mailgunRequest(
    `${HOOKS_BASE_URL}/email`,
    Object.entries(fields),
    files,
    files.length > 0 ? 'multipart' : 'urlencoded',
  );
  return handleSigned(deps, signed);
}

type Listed = { sha256: string; s3: { key: string } };
const listed = (queue: 'emailReplies' | 'handoff') =>
  ((deps.queue.bodies(queue)[0] as { message: { attachments: Listed[] } }).message.attachments ??
    []) as Listed[];

describe('the attachment step of processWebhook (in-memory ports)', () => {
  it('stores inline attachments after the claim and lists their sha256 and keys in the context', async () => {
    expect((await post({ files: [CV] })).statusCode).toBe(200);

    const [stored] = listed('emailReplies');
    expect(stored?.sha256).toBe(createHash('sha256').update(CV).digest('hex'));
    expect(deps.attachments.objects.get(stored?.s3.key ?? '')?.equals(CV)).toBe(true);
    expect(stored?.s3.key).toMatch(
      /^attachments\/company-cucumber\/conv-email-1\/[0-9a-f]{32}\/[0-9a-f]{24}\/0$/,
    );
  });

  it('releases the claim on a storage failure (503, nothing queued); the retry queues once, under keys of its own', async () => {
    const messageId = emailMessageId();
    deps.attachments.faults.fail('put');

    expect((await post({ messageId, files: [CV] })).statusCode).toBe(503);
    expect(deps.queue.messages).toHaveLength(0);
    expect((await post({ messageId, files: [CV] })).statusCode).toBe(200);
    expect((await post({ messageId, files: [CV] })).statusCode).toBe(200);

    expect(deps.queue.messages).toHaveLength(1);
    // The failed attempt and the retry each wrote their own key (never one over the other); the duplicate wrote none.
    const keys = deps.attachments.faults.calls.map((c) => String(c.args[0]));
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    expect(listed('emailReplies')[0]?.s3.key).toBe(keys[1]);
  });

  it('stores nothing for an unknown sender', async () => {
    expect((await post({ sender: 'stranger@example.net', files: [CV] })).statusCode).toBe(200);
    expect(deps.attachments.faults.calls).toHaveLength(0);
    expect(deps.queue.messages).toHaveLength(0);
  });

  it('fetches store(notify) attachments from the Mailgun host only; another host is 406 before any fetch', async () => {
    deps.mailgunStorage.files.set(`${STORAGE}/attachments/0`, CV);
    const refs = (url: string) => ({
      'message-url': STORAGE,
      attachments: JSON.stringify([
        { url, 'content-type': 'application/pdf', name: 'cv.pdf', size: CV.length },
      ]),
    });

    expect((await post({ extra: refs(`${STORAGE}/attachments/0`) })).statusCode).toBe(200);
    const [args] = deps.mailgunStorage.faults.calls.map((c) => c.args);
    expect(args?.[2]).toBe(DEMO_API_KEY);
    expect(listed('emailReplies')[0]?.sha256).toBe(createHash('sha256').update(CV).digest('hex'));
    const refused = await post({ extra: refs('http://169.254.169.254/latest/meta-data/') });
    expect(refused.statusCode).toBe(406);
    expect(deps.metrics.get(M.storedAttachmentRefused)).toBe(1);
    expect(deps.queue.messages).toHaveLength(1);
    expect(deps.attachments.objects.size).toBe(1);
  });

  it('hands a plus-addressed reply from another sender to a human; another company’s id is an unknown sender', async () => {
    deps.conversations.put({
      ...seedFakeConversation(deps, 'email', 'someone@victim.example', { conversationId: 'conv-other-co' }),
      company_id: 'company-mallory',
    });

    const own = await post({
      sender: 'work@employer.example',
      recipient: 'replies+conv-email-1@mail.cucumber.example',
      files: [CV],
    });
    const foreign = await post({
      sender: 'work@employer.example',
      recipient: 'replies+conv-other-co@mail.cucumber.example',
      files: [CV],
    });

    expect([own.statusCode, foreign.statusCode]).toEqual([200, 200]);
    expect(deps.queue.messages.map((m) => m.queue)).toEqual(['handoff']);
    expect(deps.queue.bodies('handoff')[0]).toMatchObject({
      conversation: { conversation_id: 'conv-email-1' },
      processing: { handoff_reason: 'sender_mismatch' },
    });
    expect(deps.attachments.objects.size).toBe(1);
    expect(deps.metrics.get(M.senderMismatch)).toBe(1);
  });
});

const DEMO_API_KEY = 'local-demo-api-key';
