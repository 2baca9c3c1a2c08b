import { describe, expect, it } from 'vitest';
import { attachmentKey, UnsafeKeyPartError } from '../../src/domain/attachment-key.js';

const base = {
  prefix: 'attachments/',
  companyId: 'company-cucumber',
  conversationId: 'conv-1',
  messageId: '<CAF=abc@mail.candidate.example>',
  attempt: '0123456789abcdef',
  index: 0,
};

describe('attachmentKey', () => {
  it('is the same for the same parts: prefix, company, conversation, message digest, attempt, index', () => {
    expect(attachmentKey(base)).toBe(attachmentKey({ ...base }));
    expect(attachmentKey(base)).toMatch(
      /^attachments\/company-cucumber\/conv-1\/[0-9a-f]{32}\/0123456789abcdef\/0$/,
    );
  });

  it("differs per attempt: a second message reusing a Message-Id never gets the first one's key", () => {
    expect(attachmentKey(base)).not.toBe(attachmentKey({ ...base, attempt: 'fedcba9876543210' }));
    expect(() => attachmentKey({ ...base, attempt: '' })).toThrow(UnsafeKeyPartError);
    expect(() => attachmentKey({ ...base, attempt: '../x/0123456789abcdef' })).toThrow(UnsafeKeyPartError);
  });

  it('differs per attachment, per message, per conversation and per company', () => {
    const keys = new Set([
      attachmentKey(base),
      attachmentKey({ ...base, index: 1 }),
      attachmentKey({ ...base, messageId: '<other@mail.candidate.example>' }),
      attachmentKey({ ...base, conversationId: 'conv-2' }),
      attachmentKey({ ...base, companyId: 'company-other' }),
    ]);
    expect(keys.size).toBe(5);
  });

  it('never contains an address or the message id (which names the sender domain)', () => {
    const key = attachmentKey(base);
    expect(key).not.toContain('@');
    expect(key).not.toContain('candidate.example');
  });

  it('an id with a slash or dots cannot change the key shape or climb out of the prefix', () => {
    const key = attachmentKey({ ...base, companyId: '../other-company', conversationId: 'a/b' });
    expect(key.startsWith('attachments/')).toBe(true);
    expect(key.split('/')).toHaveLength(6);
    expect(key).toContain('..%2Fother-company/a%2Fb/');
  });

  it('rejects empty or oversized ids, an empty message id and a bad index', () => {
    expect(() => attachmentKey({ ...base, companyId: '' })).toThrow(UnsafeKeyPartError);
    expect(() => attachmentKey({ ...base, conversationId: 'x'.repeat(257) })).toThrow(UnsafeKeyPartError);
    expect(() => attachmentKey({ ...base, messageId: '' })).toThrow(UnsafeKeyPartError);
    expect(() => attachmentKey({ ...base, index: -1 })).toThrow(UnsafeKeyPartError);
    expect(() => attachmentKey({ ...base, index: 1.5 })).toThrow(UnsafeKeyPartError);
  });
});
