import { createSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BadRequestError, PayloadTooLargeError } from '../../src/domain/errors.js';
import {
  MAX_SNS_BODY_BYTES,
  parseSnsEnvelope,
  type SnsEnvelope,
  snsStringToSign,
} from '../../src/domain/sns-envelope.js';
import { verifySnsSignature } from '../../src/domain/sns-signature.js';
import { createSigningIdentity } from '../../src/local/ses/self-signed-certificate.js';
import { signSnsEnvelope, type UnsignedSnsEnvelope } from '../../src/local/ses/sns-signer.js';

const identity = createSigningIdentity({ commonName: 'sns.us-east-1.amazonaws.com' });
const otherIdentity = createSigningIdentity({});
const now = new Date();

const notification: UnsignedSnsEnvelope = {
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-inbound',
  Subject: 'Amazon SES Email Receipt Notification',
  Message: '{"notificationType":"Received","mail":{},"receipt":{"note":"line1\\nline2 ✓"}}',
  Timestamp: '2026-11-29T09:00:00.000Z',
  SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
  UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x',
};

const confirmation: UnsignedSnsEnvelope = {
  Type: 'SubscriptionConfirmation',
  MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
  Token:
    '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736',
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-inbound',
  Message: 'You have chosen to subscribe to the topic arn:aws:sns:us-east-1:123456789012:ses-inbound.',
  SubscribeURL:
    'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:123456789012:ses-inbound&Token=2336412f',
  Timestamp: '2026-11-29T09:00:00.000Z',
  SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
};

function roundTrip(envelope: SnsEnvelope): SnsEnvelope {
  return parseSnsEnvelope(JSON.stringify(envelope), envelope.Type);
}

describe('snsStringToSign: AWS canonical string', () => {
  it('Notification: Message, MessageId, Subject, Timestamp, TopicArn, Type, each as Name\\nValue\\n', () => {
    const envelope = signSnsEnvelope(notification, identity);
    expect(snsStringToSign(envelope)).toBe(
      `Message\n${notification.Message}\nMessageId\n${notification.MessageId}\nSubject\n${notification.Subject}\n` +
        `Timestamp\n${notification.Timestamp}\nTopicArn\n${notification.TopicArn}\nType\nNotification\n`,
    );
  });

  it('Notification without Subject leaves the Subject pair out entirely', () => {
    const { Subject: _subject, ...rest } = notification;
    const envelope = signSnsEnvelope(rest, identity);
    expect(snsStringToSign(envelope)).not.toContain('Subject');
  });

  it('confirmations: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type', () => {
    const envelope = signSnsEnvelope(confirmation, identity);
    expect(snsStringToSign(envelope)).toBe(
      `Message\n${confirmation.Message}\nMessageId\n${confirmation.MessageId}\nSubscribeURL\n${confirmation.SubscribeURL}\n` +
        `Timestamp\n${confirmation.Timestamp}\nToken\n${confirmation.Token}\nTopicArn\n${confirmation.TopicArn}\n` +
        'Type\nSubscriptionConfirmation\n',
    );
  });

  it('matches an independent signer written from the AWS page (version 1, SHA1withRSA)', () => {
    const fields = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
    const full = { ...notification, SignatureVersion: '1' } as Record<string, string>;
    const signer = createSign('sha1WithRSAEncryption');
    signer.update(fields.map((name) => `${name}\n${full[name]}\n`).join(''));
    const envelope = roundTrip({
      ...notification,
      SignatureVersion: '1',
      Signature: signer.sign(identity.privateKey, 'base64'),
    });
    expect(verifySnsSignature(envelope, identity.certificatePem, now)).toEqual({ ok: true });
  });
});

describe('verifySnsSignature: one valid message, one thing broken per test', () => {
  for (const version of ['1', '2'] as const) {
    for (const [label, unsigned] of [
      ['Notification', notification],
      ['SubscriptionConfirmation', confirmation],
      ['UnsubscribeConfirmation', { ...confirmation, Type: 'UnsubscribeConfirmation' as const }],
    ] as const) {
      it(`accepts a ${label} signed with version ${version}`, () => {
        const envelope = roundTrip(signSnsEnvelope(unsigned, identity, version));
        expect(verifySnsSignature(envelope, identity.certificatePem, now)).toEqual({ ok: true });
      });
    }
  }

  const valid = signSnsEnvelope(notification, identity);
  const broken: Array<[string, SnsEnvelope]> = [
    ['Message changed', { ...valid, Message: `${valid.Message} ` }],
    ['MessageId changed', { ...valid, MessageId: 'another-id' }],
    ['Subject changed', { ...valid, Subject: 'Re: other' }],
    ['Subject removed', { ...valid, Subject: undefined }],
    ['Timestamp changed', { ...valid, Timestamp: '2026-11-29T09:00:01.000Z' }],
    ['TopicArn changed', { ...valid, TopicArn: 'arn:aws:sns:us-east-1:123456789012:other' }],
    ['Type changed', { ...valid, Type: 'UnsubscribeConfirmation', SubscribeURL: 'x', Token: 'y' }],
    ['version 2 signature claimed as version 1', { ...valid, SignatureVersion: '1' }],
    ['signature truncated', { ...valid, Signature: valid.Signature.slice(4) }],
  ];
  for (const [label, envelope] of broken) {
    it(`rejects: ${label}`, () => {
      expect(verifySnsSignature(envelope, identity.certificatePem, now)).toEqual({
        ok: false,
        reason: 'mismatch',
      });
    });
  }

  it('rejects a message signed with another key (foreign certificate)', () => {
    const forged = signSnsEnvelope(notification, otherIdentity);
    expect(verifySnsSignature(forged, identity.certificatePem, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a SubscribeURL swapped after signing (an attacker redirecting the confirmation GET)', () => {
    const signed = signSnsEnvelope(confirmation, identity);
    const swapped = {
      ...signed,
      SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&x=1',
    };
    expect(verifySnsSignature(swapped, identity.certificatePem, now).ok).toBe(false);
  });

  it('rejects an expired certificate and a certificate that is not yet valid', () => {
    const expired = createSigningIdentity({ notBefore: new Date(0), notAfter: new Date(Date.now() - 1000) });
    const envelope = signSnsEnvelope(notification, expired);
    expect(verifySnsSignature(envelope, expired.certificatePem, now)).toEqual({
      ok: false,
      reason: 'expired-certificate',
    });
    const future = createSigningIdentity({ notBefore: new Date(Date.now() + 3600_000) });
    expect(verifySnsSignature(signSnsEnvelope(notification, future), future.certificatePem, now).ok).toBe(
      false,
    );
  });

  it('rejects garbage instead of a certificate', () => {
    expect(verifySnsSignature(valid, 'not a certificate', now)).toEqual({ ok: false, reason: 'certificate' });
  });
});

describe('parseSnsEnvelope: bounds and shape before verification', () => {
  const body = JSON.stringify(signSnsEnvelope(notification, identity));
  const badCases: Array<[string, string, string | undefined]> = [
    ['not JSON', '{', 'Notification'],
    ['an array', '[]', 'Notification'],
    ['missing header type', body, undefined],
    ['header type disagreeing with Type', body, 'SubscriptionConfirmation'],
    ['unknown header type', body, 'Other'],
    [
      'a number where a string belongs',
      body.replace('"MessageId":"22b', '"MessageId":1,"x":"'),
      'Notification',
    ],
    ['no Signature', JSON.stringify({ ...JSON.parse(body), Signature: undefined }), 'Notification'],
    ['SignatureVersion 3', JSON.stringify({ ...JSON.parse(body), SignatureVersion: '3' }), 'Notification'],
    ['a non-base64 signature', JSON.stringify({ ...JSON.parse(body), Signature: 'a b' }), 'Notification'],
    [
      'a huge signature',
      JSON.stringify({ ...JSON.parse(body), Signature: 'A'.repeat(5000) }),
      'Notification',
    ],
    ['a non-ISO timestamp', JSON.stringify({ ...JSON.parse(body), Timestamp: 'yesterday' }), 'Notification'],
    [
      'a confirmation without Token',
      JSON.stringify({ ...signSnsEnvelope(confirmation, identity), Token: undefined }),
      'SubscriptionConfirmation',
    ],
  ];
  for (const [label, text, header] of badCases) {
    it(`400 for ${label}`, () => {
      expect(() => parseSnsEnvelope(text, header)).toThrow(BadRequestError);
    });
  }

  it('413 for a body over the bound, before JSON.parse', () => {
    expect(() => parseSnsEnvelope(' '.repeat(MAX_SNS_BODY_BYTES + 1), 'Notification')).toThrow(
      PayloadTooLargeError,
    );
  });

  it('treats "Subject": null as absent', () => {
    const { Subject: _subject, ...rest } = notification;
    const signed = signSnsEnvelope(rest, identity);
    const parsed = parseSnsEnvelope(JSON.stringify({ ...signed, Subject: null }), 'Notification');
    expect(verifySnsSignature(parsed, identity.certificatePem, now)).toEqual({ ok: true });
  });
});
