import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/domain/errors.js';
import type { ParsedEmail } from '../../src/domain/raw-email.js';
import { normaliseSesEmail, sesRegistryCandidates } from '../../src/domain/ses-message.js';
import { parseSesReceipt } from '../../src/domain/ses-receipt.js';
import { receiptNotification } from '../fixtures/ses/receipt-notification.js';

const email: ParsedEmail = {
  messageId: '<reply-1@mail.example.com>',
  inReplyTo: '<out-1@mail.acme.test>',
  references: '<out-1@mail.acme.test>',
  subject: 'Re: visit',
  from: 'jane.doe@example.com',
  dkimDomains: [],
  text: 'Tuesday works.\n\n> earlier',
  attachments: [],
  droppedAttachments: 0,
};

describe('normaliseSesEmail', () => {
  it('shapes the message exactly as Mailgun’s normaliser does', () => {
    const receipt = parseSesReceipt(
      JSON.stringify(receiptNotification({ recipients: ['Support+Conv-9@Mail.Acme.test'] })),
    );
    expect(sesRegistryCandidates(receipt)).toEqual(['support@mail.acme.test']);
    const message = normaliseSesEmail(
      { receipt, email, messageId: '<reply-1@mail.example.com>', body: 'Tuesday works.' },
      'support@mail.acme.test',
      [{ filename: 'a.pdf', content_type: 'application/pdf', size: 3 }],
    );
    expect(message).toEqual({
      channel: 'email',
      kind: 'message',
      from: 'jane.doe@example.com',
      to: 'support@mail.acme.test',
      body: 'Tuesday works.',
      messageId: '<reply-1@mail.example.com>',
      email: {
        subject: 'Re: visit',
        in_reply_to: '<out-1@mail.acme.test>',
        attachments: [{ filename: 'a.pdf', content_type: 'application/pdf', size: 3 }],
        addressed_conversation_id: 'conv-9',
      },
    });
  });

  it('several recipients: candidates de-duplicated, in order', () => {
    const receipt = parseSesReceipt(
      JSON.stringify(receiptNotification({ recipients: ['a@x.test', 'A+1@x.test', 'b@x.test'] })),
    );
    expect(sesRegistryCandidates(receipt)).toEqual(['a@x.test', 'b@x.test']);
  });

  it('refuses a recipient the receipt does not name, and a bounce source that is not an address', () => {
    const receipt = parseSesReceipt(JSON.stringify(receiptNotification()));
    expect(() => normaliseSesEmail({ receipt, email, messageId: 'x', body: '' }, 'other@x.test', [])).toThrow(
      BadRequestError,
    );
    const noSource = parseSesReceipt(JSON.stringify(receiptNotification({ source: '' })));
    expect(() =>
      normaliseSesEmail(
        { receipt: noSource, email: { ...email, from: undefined }, messageId: 'x', body: '' },
        'support@mail.acme.test',
        [],
      ),
    ).toThrow(/sender/);
  });

  it('the sender is the From address, not the envelope sender; dropped attachments are counted', () => {
    const receipt = parseSesReceipt(JSON.stringify(receiptNotification({ source: 'bounces@esp.example' })));
    const message = normaliseSesEmail(
      { receipt, email: { ...email, droppedAttachments: 3 }, messageId: 'x', body: 'b' },
      'support@mail.acme.test',
      [],
    );
    expect(message.from).toBe('jane.doe@example.com');
    expect(message.email?.dropped_attachments).toBe(3);
  });
});
