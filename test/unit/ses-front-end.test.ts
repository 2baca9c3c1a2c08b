import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AttachmentStore, AttachmentUpload, RawEmailSource } from '../../src/app/ports.js';
import type { WebhookRequest } from '../../src/app/webhook-request.js';
import { DependencyError, ForbiddenError } from '../../src/domain/errors.js';
import type { ConversationRecord } from '../../src/domain/types.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { createSigningIdentity } from '../../src/local/ses/self-signed-certificate.js';
import {
  buildSesDelivery,
  type SesDeliveryOptions,
  snsDeliveryHeaders,
} from '../../src/local/ses/ses-delivery.js';
import { signSnsEnvelope } from '../../src/local/ses/sns-signer.js';
import { ROUTES } from '../../src/resources.js';
import { pdfBytes } from '../fixtures/ses/mime-fixtures.js';
import { processOne, processRequest } from '../fixtures/webhook-request.js';
import { type FakeDependencies, fakeDependencies } from '../helpers/fakes/fake-dependencies.js';
import { fakeSesChannel } from '../helpers/fakes/fake-ses-channel.js';

/** The SNS branch of `/email` with in-memory fakes only: the production URL pattern, a certificate served by a fake. */
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:ses-inbound-test';
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';
const BUCKET = 'ses-inbound-test';
const EMAIL_ROUTE = ROUTES.find((route) => route.channel === 'email') as (typeof ROUTES)[number];
const identity = createSigningIdentity({
  notBefore: new Date('2026-01-01T00:00:00Z'),
  notAfter: new Date('2027-01-01T00:00:00Z'),
});

class FakeAttachmentStore implements AttachmentStore {
  readonly puts: string[] = [];
  failNext = false;
  async put(upload: AttachmentUpload) {
    if (this.failNext) {
      this.failNext = false;
      throw new DependencyError('s3');
    }
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of upload.body) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
    this.puts.push(upload.key);
    return { size, sha256: hash.digest('hex'), s3: { bucket: 'attachments', key: upload.key } };
  }
}

let deps: FakeDependencies;
let store: FakeAttachmentStore;
const objects = new Map<string, Uint8Array>();
const reads: string[] = [];
const rawEmails: RawEmailSource = {
  async get(bucket, key) {
    reads.push(key);
    const object = objects.get(`${bucket}/${key}`);
    if (!object) throw new Error('NoSuchKey');
    return { bytes: object };
  },
};

beforeEach(() => {
  deps = fakeDependencies();
  store = new FakeAttachmentStore();
  reads.length = 0;
  Object.assign(deps, {
    ses: fakeSesChannel({
      certificateUrl: CERT_URL,
      certificatePem: identity.certificatePem,
      rawEmails,
      topicArn: TOPIC,
      bucket: BUCKET,
      clock: deps.clock,
      logger: deps.logger,
    }),
    attachments: store,
  });
});

function conversation(sender: string, overrides: Partial<ConversationRecord> = {}): ConversationRecord {
  const record: ConversationRecord = {
    primary_channel: sender,
    conversation_id: 'conv-ses-1',
    conversation_status: 'active',
    hand_off_to_human: false,
    channel_type: 'email',
    company_channel: DEMO.sesEmailAddress,
    ...DEMO.company,
    credentials_reference: DEMO.credentials.ses,
    updated_at: deps.clock.now().toISOString(),
    receipts: {},
    ...overrides,
  };
  deps.conversations.put(record);
  return record;
}

function request(options: Partial<SesDeliveryOptions> & { source: string }): WebhookRequest {
  const built = buildSesDelivery({
    topicArn: TOPIC,
    certificateUrl: CERT_URL,
    recipient: DEMO.sesEmailAddress,
    bucket: BUCKET,
    mime: {
      from: options.source,
      messageId: '<m-1@example.com>',
      text: 'CV attached',
      attachment: { filename: 'cv.pdf', contentType: 'application/pdf', bytes: pdfBytes(4096) },
    },
    sesMessageId: 'ses-1',
    ...options,
  });
  if (built.object) objects.set(`${built.object.bucket}/${built.object.key}`, built.raw);
  const envelope = signSnsEnvelope(
    { ...built.envelope, Timestamp: deps.clock.now().toISOString() },
    identity,
  );
  return {
    channel: 'email',
    route: EMAIL_ROUTE,
    method: 'POST',
    query: {},
    headers: snsDeliveryHeaders(envelope),
    body: Buffer.from(JSON.stringify(envelope)),
    publicUrl: 'https://hooks.example.com/email',
    requestId: 'req-1',
    receivedAt: deps.clock.now(),
  };
}

describe('the SES front end through processWebhook', () => {
  it('a virus verdict → HandoffQueue "virus", no attachment stored anywhere', async () => {
    const sender = 'jane@example.com';
    conversation(sender);
    const outcome = await processOne(request({ source: sender, verdicts: { virus: 'FAIL' } }), deps);
    expect(outcome).toMatchObject({ kind: 'queued', queue: 'handoff', reason: 'virus' });
    expect(store.puts).toEqual([]);
    const [context] = deps.queue.bodies('handoff');
    expect(context).toMatchObject({
      processing: { route: 'handoff', handoff_reason: 'virus' },
      message: { attachments: [] },
    });
    expect(deps.queue.messages).toHaveLength(1);
  });

  it('an address registered for Mailgun never receives SES mail: 403, nothing read past the receipt, nothing queued', async () => {
    const sender = 'jane@example.com';
    await expect(
      processOne(request({ source: sender, recipient: DEMO.emailAddress }), deps),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(deps.queue.messages).toEqual([]);
    expect(store.puts).toEqual([]);
  });

  it("plus-addressing names another company's conversation → ignored: unknown sender, one SES fallback, nothing queued", async () => {
    const sender = 'jane@example.com';
    conversation(sender, {
      conversation_id: 'conv-other',
      company_id: 'company-other',
      company_channel: 'x@y.z',
    });
    const to = DEMO.sesEmailAddress.replace('@', '+conv-other@');
    await processOne(request({ source: sender, recipient: to }), deps);
    expect(deps.queue.messages).toEqual([]);
    expect(store.puts).toEqual([]);
    expect(deps.outbound.sent.map((s) => [s.message.provider, s.message.to])).toEqual([['ses', sender]]);
  });

  it('attachment storage fails → 5xx, nothing queued, claim released; the retry queues exactly once', async () => {
    const sender = 'jane@example.com';
    conversation(sender);
    store.failNext = true;
    await expect(processOne(request({ source: sender }), deps)).rejects.toBeInstanceOf(DependencyError);
    expect(deps.queue.messages).toEqual([]);
    await processOne(request({ source: sender }), deps);
    await processOne(request({ source: sender }), deps);
    const contexts = deps.queue.bodies('emailReplies');
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({
      message: { message_id: '<m-1@example.com>', attachments: [{ filename: 'cv.pdf', size: 4096 }] },
    });
  });

  it('one notification addressed to two companies on SES → one message for each, each with its own dedupe key', async () => {
    const sender = 'jane@example.com';
    const other = 'jobs@ses.other.example';
    deps.registry.put({
      channel_address: other,
      channel_type: 'email',
      provider: 'ses',
      company_id: 'company-other',
      project_id: 'project-other',
      company_name: 'Other Ltd',
      credentials_reference: 'email-credentials/other/jobs/ses',
    });
    conversation(sender);
    conversation(sender, {
      conversation_id: 'conv-other',
      company_channel: other,
      company_id: 'company-other',
      project_id: 'project-other',
      company_name: 'Other Ltd',
    });
    const built = request({ source: sender });
    const envelope = JSON.parse(built.body.toString()) as Record<string, string>;
    const receipt = JSON.parse(envelope.Message ?? '{}') as { receipt: { recipients: string[] } };
    receipt.receipt.recipients = [DEMO.sesEmailAddress, other];
    const { Signature: _s, SignatureVersion: _v, ...unsigned } = envelope;
    const resigned = signSnsEnvelope(
      { ...unsigned, Message: JSON.stringify(receipt) } as Parameters<typeof signSnsEnvelope>[0],
      identity,
    );

    await processRequest({ ...built, body: Buffer.from(JSON.stringify(resigned)) }, deps);

    const contexts = deps.queue.bodies('emailReplies') as Array<{
      meta: { dedupe_key: string };
      conversation: { conversation_id: string };
    }>;
    expect(contexts.map((c) => c.conversation.conversation_id).sort()).toEqual(['conv-other', 'conv-ses-1']);
    expect(new Set(contexts.map((c) => c.meta.dedupe_key)).size).toBe(2);
  });

  it('a forged signature → 403 before anything is read (no S3 read, no registry read)', async () => {
    const forged = request({ source: 'jane@example.com' });
    const envelope = JSON.parse(forged.body.toString()) as Record<string, string>;
    const tampered = { ...forged, body: Buffer.from(JSON.stringify({ ...envelope, Subject: 'changed' })) };
    await expect(processOne(tampered, deps)).rejects.toBeInstanceOf(ForbiddenError);
    expect(reads).toEqual([]);
    expect(deps.registry.faults.count('find')).toBe(0);
  });
});
