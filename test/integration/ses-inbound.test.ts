import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpSnsCertificates } from '../../src/adapters/ses/http-sns-certificates.js';
import { HttpSnsSubscriptions } from '../../src/adapters/ses/http-sns-subscriptions.js';
import type { RawEmailSource } from '../../src/app/ports.js';
import {
  handleSubscriptionMessage,
  readSesNotification,
  type SesInboundDeps,
  verifySnsDelivery,
} from '../../src/app/ses-inbound.js';
import { DependencyError, ForbiddenError, type WebhookError } from '../../src/domain/errors.js';
import { replyText } from '../../src/domain/reply-text.js';
import { compileSnsUrlPattern } from '../../src/domain/sns-url-policy.js';
import { type LocalSnsServer, startLocalSnsServer } from '../../src/local/ses/local-sns-server.js';
import { createSigningIdentity } from '../../src/local/ses/self-signed-certificate.js';
import { buildSesDelivery, buildSubscriptionConfirmation } from '../../src/local/ses/ses-delivery.js';
import { signSnsEnvelope, type UnsignedSnsEnvelope } from '../../src/local/ses/sns-signer.js';
import { pdfBytes, sha256 } from '../fixtures/ses/mime-fixtures.js';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:ses-inbound';
const BUCKET = 'ses-inbound-local';
let sns: LocalSnsServer;
let deps: SesInboundDeps;
const objects = new Map<string, Uint8Array>();
const reads: string[] = [];
const logs: string[] = [];

const rawEmails: RawEmailSource = {
  async get(bucket, key) {
    reads.push(`${bucket}/${key}`);
    const object = objects.get(`${bucket}/${key}`);
    // As the S3 adapter translates it (dependencyCall): transient, so SNS retries.
    if (!object) throw new DependencyError('ses-inbound-bucket', { cause: new Error('NoSuchKey') });
    return { bytes: object };
  },
};

beforeAll(async () => {
  sns = await startLocalSnsServer();
  deps = {
    certificates: new HttpSnsCertificates(),
    subscriptions: new HttpSnsSubscriptions(),
    rawEmails,
    clock: { now: () => new Date() },
    logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    settings: {
      snsUrlPattern: compileSnsUrlPattern(sns.urlPattern),
      topicArns: [TOPIC],
      inboundBucket: BUCKET,
    },
  };
});
afterAll(async () => {
  await sns.stop();
});
beforeEach(() => {
  reads.length = 0;
});

async function signedBySns(envelope: UnsignedSnsEnvelope): Promise<string> {
  const response = await fetch(`${sns.url}/sign`, { method: 'POST', body: JSON.stringify(envelope) });
  return response.text();
}

function delivery(overrides: Partial<Parameters<typeof buildSesDelivery>[0]> = {}) {
  const built = buildSesDelivery({
    topicArn: TOPIC,
    certificateUrl: sns.certificateUrl,
    recipient: 'Support@Mail.Acme.test',
    source: 'jane.doe@example.com',
    bucket: BUCKET,
    mime: {
      messageId: '<reply-42@mail.example.com>',
      inReplyTo: '<outbound-1@mail.acme.test>',
      text: 'Invoice attached.\n\nOn Sat, Nov 28, 2026 at 9:00 AM Acme <support@mail.acme.test> wrote:\n> Send it?\n',
      attachment: { filename: 'invoice.pdf', contentType: 'application/pdf', bytes: pdfBytes(64 * 1024) },
    },
    ...overrides,
  });
  if (built.object) objects.set(`${built.object.bucket}/${built.object.key}`, built.raw);
  return built;
}

async function rejection(work: Promise<unknown>): Promise<WebhookError> {
  try {
    await work;
  } catch (error) {
    return error as WebhookError;
  }
  throw new Error('expected a rejection');
}

describe('SNS → SES inbound, verified before anything is read', () => {
  it('a signed S3-action notification: receipt, raw MIME from the inbound bucket, reply text, PDF byte for byte', async () => {
    const built = delivery();
    const envelope = await verifySnsDelivery(await signedBySns(built.envelope), 'Notification', deps);
    const inbound = await readSesNotification(envelope, deps);
    expect(inbound.receipt.recipients).toEqual(['support@mail.acme.test']);
    expect(inbound.senderVerdict).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass' });
    expect(inbound.senderVerdict.virus).toBeUndefined();
    expect(inbound.messageId).toBe('<reply-42@mail.example.com>');
    expect(inbound.email.inReplyTo).toBe('<outbound-1@mail.acme.test>');
    expect(replyText(inbound.email.text)).toBe('Invoice attached.');
    expect(sha256(inbound.email.attachments[0]?.content ?? new Uint8Array())).toBe(
      sha256(pdfBytes(64 * 1024)),
    );
    expect(reads).toEqual([`${built.object?.bucket}/${built.object?.key}`]);
  });

  it('an SNS-action notification carries the message inline (BASE64)', async () => {
    const built = delivery({ action: 'SNS' });
    const envelope = await verifySnsDelivery(await signedBySns(built.envelope), 'Notification', deps);
    const inbound = await readSesNotification(envelope, deps);
    expect(replyText(inbound.email.text)).toBe('Invoice attached.');
    expect(reads).toEqual([]);
  });

  it('a virus verdict: handoff, and no attachment leaves the reader', async () => {
    const built = delivery({ verdicts: { virus: 'FAIL' } });
    const inbound = await readSesNotification(
      await verifySnsDelivery(await signedBySns(built.envelope), 'Notification', deps),
      deps,
    );
    expect(inbound.senderVerdict.virus).toBe(true);
    expect(inbound.email.attachments).toEqual([]);
    expect(inbound.email.droppedAttachments).toBe(1);
  });

  it('SPF + DKIM + DMARC failure → sender_unverified', async () => {
    const built = delivery({ verdicts: { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' } });
    const inbound = await readSesNotification(
      await verifySnsDelivery(await signedBySns(built.envelope), 'Notification', deps),
      deps,
    );
    expect(inbound.senderVerdict).toMatchObject({ spf: 'fail', dkim: 'fail', dmarc: 'fail' });
  });

  it('attack: signed with another key → 403, nothing read', async () => {
    const forged = signSnsEnvelope(delivery().envelope, createSigningIdentity({}));
    const error = await rejection(verifySnsDelivery(JSON.stringify(forged), 'Notification', deps));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(reads).toEqual([]);
  });

  it('attack: the attacker’s own certificate URL (outside SNS_URL_PATTERN) → 403, never fetched', async () => {
    const attacker = await startLocalSnsServer();
    try {
      const built = delivery({ certificateUrl: attacker.certificateUrl });
      const signed = signSnsEnvelope(built.envelope, attacker.identity);
      const error = await rejection(verifySnsDelivery(JSON.stringify(signed), 'Notification', deps));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(attacker.counts.certificateFetches).toBe(0);
    } finally {
      await attacker.stop();
    }
  });

  it('attack: an unknown topic, correctly signed → 403 before any certificate fetch', async () => {
    const fetches = sns.counts.certificateFetches;
    const built = delivery({ topicArn: 'arn:aws:sns:us-east-1:000000000000:someone-else' });
    const error = await rejection(verifySnsDelivery(await signedBySns(built.envelope), 'Notification', deps));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(sns.counts.certificateFetches).toBe(fetches);
  });

  it('attack: the receipt swapped after signing (another recipient) → 403', async () => {
    const signed = JSON.parse(await signedBySns(delivery().envelope)) as Record<string, string>;
    const tampered = {
      ...signed,
      Message: (signed.Message ?? '').replace('Support@Mail.Acme.test', 'other@x.test'),
    };
    const error = await rejection(verifySnsDelivery(JSON.stringify(tampered), 'Notification', deps));
    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it('a verified notification naming another bucket → 403, that bucket never read', async () => {
    const built = delivery({ bucket: 'someone-elses-bucket' });
    const envelope = await verifySnsDelivery(await signedBySns(built.envelope), 'Notification', deps);
    const error = await rejection(readSesNotification(envelope, deps));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(reads).toEqual([]);
  });

  it('the raw object missing from the bucket → 503 so SNS retries', async () => {
    const built = delivery();
    objects.delete(`${built.object?.bucket}/${built.object?.key}`);
    const envelope = await verifySnsDelivery(await signedBySns(built.envelope), 'Notification', deps);
    expect(await rejection(readSesNotification(envelope, deps))).toBeInstanceOf(DependencyError);
  });
});

describe('subscription messages', () => {
  const confirmation = (topicArn: string, subscribeUrl?: string) =>
    buildSubscriptionConfirmation({
      topicArn,
      certificateUrl: sns.certificateUrl,
      subscribeUrl: subscribeUrl ?? sns.subscribeUrl(topicArn, 'tok'),
      token: 'tok',
    });

  it('the configured topic is confirmed by visiting SubscribeURL', async () => {
    const envelope = await verifySnsDelivery(
      await signedBySns(confirmation(TOPIC)),
      'SubscriptionConfirmation',
      deps,
    );
    await handleSubscriptionMessage(envelope, deps);
    expect(sns.confirmations).toContainEqual({ topicArn: TOPIC, token: 'tok' });
  });

  it('any other topic → 403, never confirmed', async () => {
    const other = 'arn:aws:sns:us-east-1:000000000000:other';
    const error = await rejection(
      verifySnsDelivery(await signedBySns(confirmation(other)), 'SubscriptionConfirmation', deps),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(sns.confirmations.some((c) => c.topicArn === other)).toBe(false);
  });

  it('a SubscribeURL outside SNS_URL_PATTERN → 403, not visited', async () => {
    const envelope = await verifySnsDelivery(
      await signedBySns(confirmation(TOPIC, 'https://evil.example/confirm')),
      'SubscriptionConfirmation',
      deps,
    );
    expect(await rejection(handleSubscriptionMessage(envelope, deps))).toBeInstanceOf(ForbiddenError);
  });

  it('UnsubscribeConfirmation is logged and answered', async () => {
    const unsubscribe = { ...confirmation(TOPIC), Type: 'UnsubscribeConfirmation' as const };
    const envelope = await verifySnsDelivery(await signedBySns(unsubscribe), 'UnsubscribeConfirmation', deps);
    await handleSubscriptionMessage(envelope, deps);
    expect(logs).toContain('SNS unsubscribe confirmation received');
  });
});
