import { describe, expect, it } from 'vitest';
import {
  declaredContentType,
  MAX_FILENAME_BYTES,
  safeFilename,
} from '../../src/domain/attachment-filename.js';

describe('safeFilename: one rule for every path', () => {
  it.each([
    ['cv.pdf', 'cv.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\x\\cv.pdf', 'cv.pdf'],
    ['cv\u202Efdp.exe', 'cvfdp.exe'],
    ['a\u2066b\u2069c\u200Fd\u061Ce', 'abcde'],
    ['nul\u0000byte', 'nul_byte'],
    ['bell\u0007 and C1\u0085', 'bell_ and C1_'],
    ['zero\u200Bwidth\uFEFF', 'zerowidth'],
    ['lone \uD800 surrogate', 'lone  surrogate'],
    ['  spaced  ', 'spaced'],
    ['..', 'attachment-3'],
    ['', 'attachment-3'],
    ['dir/', 'attachment-3'],
  ])('%j → %j', (name, expected) => {
    expect(safeFilename(name, 2)).toBe(expected);
  });

  it('bounds the name to 255 UTF-8 bytes, keeping a short extension and whole characters', () => {
    const long = safeFilename(`${'é'.repeat(300)}.pdf`, 0);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    expect(long.endsWith('.pdf')).toBe(true);
    expect(long).not.toContain('\uFFFD');
    expect(Buffer.byteLength(safeFilename('x'.repeat(10_000), 0))).toBe(MAX_FILENAME_BYTES);
  });
});

describe('declaredContentType', () => {
  it.each([
    ['application/pdf', 'application/pdf'],
    ['Text/HTML; charset=utf-8', 'text/html'],
    ['image/svg+xml', 'image/svg+xml'],
    ['', 'application/octet-stream'],
    ['pdf', 'application/octet-stream'],
    ['text/html\r\nX-Injected: 1', 'application/octet-stream'],
    ['a/b/c', 'application/octet-stream'],
    [undefined, 'application/octet-stream'],
  ])('%j → %j', (value, expected) => {
    expect(declaredContentType(value)).toBe(expected);
  });
});
