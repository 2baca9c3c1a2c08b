import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/domain/errors.js';
import { assessSender, type SenderTrust } from '../../src/domain/sender-verdict.js';
import { inlineContentBytes, parseSesReceipt, type SesVerdicts } from '../../src/domain/ses-receipt.js';
import { senderVerdictFromSes } from '../../src/domain/ses-verdict.js';
import { receiptNotification } from '../fixtures/ses/receipt-notification.js';

const parse = (value: unknown) => parseSesReceipt(JSON.stringify(value));

describe('parseSesReceipt', () => {
  it('reads an S3-action receipt: recipients lower-cased, verdicts, bucket and key', () => {
    const receipt = parse(receiptNotification());
    expect(receipt).toEqual({
      sesMessageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
      recipients: ['support@mail.acme.test'],
      source: 'jane.doe@example.com',
      headerFrom: ['Jane <jane.doe@example.com>'],
      dkimSignatures: [],
      topicArn: 'arn:aws:sns:us-east-1:123456789012:ses-inbound',
      verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
      content: {
        type: 'S3',
        bucketName: 'ses-inbound-bucket',
        objectKey: 'inbound/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
      },
    });
  });

  it('reads an SNS-action receipt with BASE64 content', () => {
    const mime = 'Subject: hi\r\n\r\nhello ✓\r\n';
    const receipt = parse(
      receiptNotification({
        action: { type: 'SNS', encoding: 'BASE64' },
        content: Buffer.from(mime).toString('base64'),
      }),
    );
    expect(receipt.content.type).toBe('SNS');
    if (receipt.content.type !== 'SNS') return;
    expect(inlineContentBytes(receipt.content).toString('utf8')).toBe(mime);
  });

  it('reads an SNS-action receipt with UTF8 content', () => {
    const receipt = parse(
      receiptNotification({ action: { type: 'SNS', encoding: 'UTF8' }, content: 'Subject: x\r\n\r\nå' }),
    );
    if (receipt.content.type !== 'SNS') throw new Error('expected inline content');
    expect(inlineContentBytes(receipt.content).toString('utf8')).toBe('Subject: x\r\n\r\nå');
  });

  it('maps unknown verdict strings and missing verdicts to UNKNOWN', () => {
    const notification = receiptNotification({ verdicts: { spam: 'MAYBE' } });
    delete (notification.receipt as Record<string, unknown>).virusVerdict;
    const receipt = parse(notification);
    expect(receipt.verdicts.spam).toBe('UNKNOWN');
    expect(receipt.verdicts.virus).toBe('UNKNOWN');
  });

  it.each<[string, unknown]>([
    ['not JSON', '{'],
    ['a bounce notification', { ...receiptNotification(), notificationType: 'Bounce' }],
    ['no recipients', receiptNotification({ recipients: [] })],
    [
      'too many recipients',
      receiptNotification({ recipients: Array.from({ length: 51 }, (_, i) => `a${i}@x.test`) }),
    ],
    ['a Lambda action (no content to read)', receiptNotification({ action: { type: 'Lambda' } as never })],
    ['an SNS action without content', receiptNotification({ action: { type: 'SNS', encoding: 'UTF8' } })],
    [
      'a recipient that is not a string',
      { ...receiptNotification(), receipt: { recipients: [1], action: { type: 'S3' } } },
    ],
  ])('400 for %s', (_label, value) => {
    expect(() => parseSesReceipt(typeof value === 'string' ? value : JSON.stringify(value))).toThrow(
      BadRequestError,
    );
  });
});

describe('senderVerdictFromSes + assessSender: SES verdicts judged by the one provider-neutral rule set', () => {
  const clean: SesVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
  const strict = { allowAbsentVerdicts: false };
  it.each<[string, Partial<SesVerdicts>, SenderTrust]>([
    ['all pass', {}, { trusted: true }],
    ['SPF fails but DKIM passes (forwarded mail)', { spf: 'FAIL' }, { trusted: true }],
    ['DKIM fails but SPF passes', { dkim: 'FAIL' }, { trusted: true }],
    ['no DMARC policy (GRAY) with SPF passing', { dmarc: 'GRAY' }, { trusted: true }],
    ['DMARC fails', { dmarc: 'FAIL' }, { trusted: false, reason: 'sender_unverified' }],
    [
      'SPF and DKIM both fail',
      { spf: 'FAIL', dkim: 'FAIL' },
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'SPF GRAY and DKIM PROCESSING_FAILED',
      { spf: 'GRAY', dkim: 'PROCESSING_FAILED' },
      { trusted: false, reason: 'sender_unverified' },
    ],
    ['spam', { spam: 'FAIL' }, { trusted: false, reason: 'spam' }],
    ['spam GRAY is not spam', { spam: 'GRAY' }, { trusted: true }],
    ['virus', { virus: 'FAIL' }, { trusted: false, reason: 'virus' }],
    [
      'virus from an unverified spammer: virus wins',
      { virus: 'FAIL', dmarc: 'FAIL', spam: 'FAIL' },
      { trusted: false, reason: 'virus' },
    ],
    [
      'unverified spammer: sender_unverified wins',
      { dmarc: 'FAIL', spam: 'FAIL' },
      { trusted: false, reason: 'sender_unverified' },
    ],
  ])('%s', (_label, change, expected) => {
    const identity = {
      fromDomain: 'example.com',
      envelopeDomain: 'example.com',
      dkimDomains: ['example.com'],
    };
    expect(assessSender(senderVerdictFromSes({ ...clean, ...change }, identity), strict)).toEqual(expected);
  });

  it.each<[string, Partial<SesVerdicts>, SenderTrust]>([
    ['virus GRAY', { virus: 'GRAY' }, { trusted: false, reason: 'virus' }],
    ['virus PROCESSING_FAILED', { virus: 'PROCESSING_FAILED' }, { trusted: false, reason: 'virus' }],
    ['virus scan missing (UNKNOWN)', { virus: 'UNKNOWN' }, { trusted: false, reason: 'virus' }],
  ])('only a PASS virus verdict is clean: %s', (_label, change, expected) => {
    expect(assessSender(senderVerdictFromSes({ ...clean, ...change }), strict)).toEqual(expected);
  });

  it('DMARC GRAY: SPF or DKIM must pass for the From domain itself', () => {
    const gray = { ...clean, dmarc: 'GRAY' as const };
    const nullSender = { fromDomain: 'example.com', dkimDomains: [] };
    const foreignDkim = {
      fromDomain: 'example.com',
      envelopeDomain: 'evil.example',
      dkimDomains: ['evil.example'],
    };
    const unverified = { trusted: false, reason: 'sender_unverified' };
    expect(assessSender(senderVerdictFromSes(gray, nullSender), strict)).toEqual(unverified);
    expect(assessSender(senderVerdictFromSes(gray, foreignDkim), strict)).toEqual(unverified);
    expect(assessSender(senderVerdictFromSes(gray), strict)).toEqual(unverified);
  });

  it('scanning disabled (DISABLED everywhere): no clean virus scan, so never trusted, even with the opt-in', () => {
    const disabled: SesVerdicts = {
      spam: 'DISABLED',
      virus: 'DISABLED',
      spf: 'DISABLED',
      dkim: 'DISABLED',
      dmarc: 'DISABLED',
    };
    expect(assessSender(senderVerdictFromSes(disabled), strict)).toEqual({ trusted: false, reason: 'virus' });
    expect(assessSender(senderVerdictFromSes({ ...disabled, virus: 'PASS' }), strict)).toEqual({
      trusted: false,
      reason: 'sender_unverified',
    });
    expect(
      assessSender(senderVerdictFromSes({ ...disabled, virus: 'PASS' }), { allowAbsentVerdicts: true }),
    ).toEqual({ trusted: true, unknown: true });
  });
});
