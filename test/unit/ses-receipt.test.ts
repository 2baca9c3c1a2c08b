import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/domain/errors.js';
import { inlineContentBytes, parseSesReceipt, type SesVerdicts } from '../../src/domain/ses-receipt.js';
import { decideSenderVerdict } from '../../src/domain/ses-verdict.js';
import { receiptNotification } from '../fixtures/ses/receipt-notification.js';

const parse = (value: unknown) => parseSesReceipt(JSON.stringify(value));

describe('parseSesReceipt', () => {
  it('reads an S3-action receipt: recipients lower-cased, verdicts, bucket and key', () => {
    const receipt = parse(receiptNotification());
    expect(receipt).toEqual({
      sesMessageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
      recipients: ['support@mail.acme.test'],
      source: 'jane.doe@example.com',
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

describe('decideSenderVerdict', () => {
  const clean: SesVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
  it.each<[string, Partial<SesVerdicts>, ReturnType<typeof decideSenderVerdict>]>([
    ['all pass', {}, { kind: 'accept' }],
    ['SPF fails but DKIM passes (forwarded mail)', { spf: 'FAIL' }, { kind: 'accept' }],
    ['DKIM fails but SPF passes', { dkim: 'FAIL' }, { kind: 'accept' }],
    ['no DMARC policy (GRAY) with SPF passing', { dmarc: 'GRAY' }, { kind: 'accept' }],
    [
      'DMARC fails',
      { dmarc: 'FAIL' },
      { kind: 'handoff', reason: 'sender_unverified', storeAttachments: true },
    ],
    [
      'SPF and DKIM both fail',
      { spf: 'FAIL', dkim: 'FAIL' },
      { kind: 'handoff', reason: 'sender_unverified', storeAttachments: true },
    ],
    [
      'SPF GRAY and DKIM PROCESSING_FAILED',
      { spf: 'GRAY', dkim: 'PROCESSING_FAILED' },
      { kind: 'handoff', reason: 'sender_unverified', storeAttachments: true },
    ],
    ['spam', { spam: 'FAIL' }, { kind: 'handoff', reason: 'spam', storeAttachments: true }],
    ['spam GRAY is not spam', { spam: 'GRAY' }, { kind: 'accept' }],
    ['virus', { virus: 'FAIL' }, { kind: 'handoff', reason: 'virus', storeAttachments: false }],
    [
      'virus from an unverified spammer: virus wins',
      { virus: 'FAIL', dmarc: 'FAIL', spam: 'FAIL' },
      { kind: 'handoff', reason: 'virus', storeAttachments: false },
    ],
    [
      'unverified spammer: sender_unverified wins',
      { dmarc: 'FAIL', spam: 'FAIL' },
      { kind: 'handoff', reason: 'sender_unverified', storeAttachments: true },
    ],
  ])('%s', (_label, change, expected) => {
    expect(decideSenderVerdict({ ...clean, ...change })).toEqual(expected);
  });
});
