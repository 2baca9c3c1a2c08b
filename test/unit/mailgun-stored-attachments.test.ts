import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/domain/errors.js';
import {
  MAX_STORED_ATTACHMENTS,
  parseStoredAttachmentRefs,
} from '../../src/domain/mailgun-stored-attachments.js';

const URL_0 = 'https://storage-us-east4.api.mailgun.net/v3/domains/mg.example.com/messages/KEY/attachments/0';

describe('parseStoredAttachmentRefs (store(notify) `attachments` field)', () => {
  it('reads Mailgun’s list into refs the fetcher takes', () => {
    const field = JSON.stringify([
      { url: URL_0, 'content-type': 'application/pdf', name: 'cv.pdf', size: 204800 },
    ]);
    expect(parseStoredAttachmentRefs(field)).toEqual([
      { url: URL_0, contentType: 'application/pdf', name: 'cv.pdf', size: 204800 },
    ]);
  });

  it('an absent or empty field is no attachments; missing name and type get defaults', () => {
    expect(parseStoredAttachmentRefs(undefined)).toEqual([]);
    expect(parseStoredAttachmentRefs('  ')).toEqual([]);
    expect(parseStoredAttachmentRefs('[]')).toEqual([]);
    expect(parseStoredAttachmentRefs(JSON.stringify([{ url: URL_0, size: 1 }]))).toEqual([
      { url: URL_0, contentType: '', name: 'attachment', size: 1 },
    ]);
  });

  it.each([
    ['not JSON', '[{'],
    ['not a list', JSON.stringify({ url: URL_0 })],
    ['a missing url', JSON.stringify([{ size: 1 }])],
    ['a negative size', JSON.stringify([{ url: URL_0, size: -1 }])],
    ['a fractional size', JSON.stringify([{ url: URL_0, size: 1.5 }])],
    ['a string size', JSON.stringify([{ url: URL_0, size: '1' }])],
    ['an overlong url', JSON.stringify([{ url: `https://x/${'a'.repeat(2100)}`, size: 1 }])],
    [
      'too many entries',
      JSON.stringify(Array.from({ length: MAX_STORED_ATTACHMENTS + 1 }, () => ({ url: URL_0, size: 1 }))),
    ],
    ['a field too large to parse', `[${' '.repeat(300 * 1024)}]`],
  ])('rejects %s with a 400 that leaks nothing', (_name, field) => {
    let error: unknown;
    try {
      parseStoredAttachmentRefs(field);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toMatch(/^Invalid field attachments: /);
    expect((error as BadRequestError).message).not.toContain('storage-us-east4');
  });
});
