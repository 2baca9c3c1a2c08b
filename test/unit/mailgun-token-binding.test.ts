import { describe, expect, it } from 'vitest';
import { mailgunTokenBinding } from '../../src/domain/mailgun-token-binding.js';

const fields = {
  recipient: 'replies@mail.example.com',
  sender: 'ana@example.com',
  'Message-Id': '<a1@mail.example.com>',
  'stripped-text': 'Yes, I am interested.',
  timestamp: '1764316800',
  token: 'c1f4a5e0b8d94d7a9a0e3b2f6c7d8e9fa0b1c2d3e4f5a6b7c8',
  signature: 'ab'.repeat(32),
};
const cv = [{ filename: 'cv.pdf', content_type: 'application/pdf', size: 1200 }];

describe('mailgunTokenBinding: what a Mailgun token is bound to', () => {
  it('is the same for the same message posted again: field order and the signature fields do not matter', () => {
    const reordered = Object.fromEntries(Object.entries(fields).reverse());

    expect(mailgunTokenBinding(reordered, cv, 'd1')).toBe(mailgunTokenBinding(fields, cv, 'd1'));
    expect(mailgunTokenBinding({ ...fields, timestamp: '1', signature: 'x' }, cv, 'd1')).toBe(
      mailgunTokenBinding(fields, cv, 'd1'),
    );
  });

  it.each<[string, Record<string, string>, typeof cv, string]>([
    ['another body', { ...fields, 'stripped-text': 'No.' }, cv, 'd1'],
    ['another Message-Id', { ...fields, 'Message-Id': '<a2@mail.example.com>' }, cv, 'd1'],
    ['another sender', { ...fields, sender: 'eve@example.com' }, cv, 'd1'],
    ['another recipient', { ...fields, recipient: 'other@mail.example.com' }, cv, 'd1'],
    ['a field added', { ...fields, 'body-html': '<p>hi</p>' }, cv, 'd1'],
    ['an attachment dropped', fields, [], 'd1'],
    ['an attachment of the same size with other bytes', fields, cv, 'd2'],
    // Length-prefixed: moving text across a name/value boundary is another message.
    ['a value moved into its name', { ...fields, 'stripped-textY': 'es, I am interested.' }, cv, 'd1'],
  ])('differs for %s', (_case, changed, attachments, digest) => {
    expect(mailgunTokenBinding(changed, attachments, digest)).not.toBe(mailgunTokenBinding(fields, cv, 'd1'));
  });
});
