import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MASKED_CHARS, maskEmail, scrubPii, scrubTruncated } from '../../src/domain/mask.js';

// The pattern scrubPii used to run: quadratic on long runs without "@", but the reference for what must be masked.
const REFERENCE_EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const referenceEmails = (text: string) => text.replace(REFERENCE_EMAIL, (match) => maskEmail(match));

// Strings made of the characters that matter to the scanner, so addresses, near-addresses and runs are common.
const alphabet = fc.constantFrom(
  'a',
  'Z',
  '7',
  '.',
  '-',
  '+',
  '_',
  '%',
  '@',
  ' ',
  ',',
  'é',
  'co',
  'org',
  '@x.io',
);
const text = fc.array(alphabet, { maxLength: 200 }).map((parts) => parts.join(''));

describe('scrubPii is the reference regex, in linear time', () => {
  it('masks exactly the addresses the reference pattern finds (random strings near the grammar)', () => {
    fc.assert(
      fc.property(text, (value) => {
        const withoutPhones = value.replaceAll('+', '');
        expect(scrubPii(withoutPhones)).toBe(referenceEmails(withoutPhones));
      }),
      { numRuns: 2_000 },
    );
  });

  it('masks exactly what the reference finds in arbitrary unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (value) => {
        const withoutPhones = value.replaceAll('+', '');
        expect(scrubPii(withoutPhones)).toBe(referenceEmails(withoutPhones));
      }),
      { numRuns: 1_000 },
    );
  });

  it.each([
    ['a run with no "@"', 'a'.repeat(1_000_000)],
    ['"a@" repeated', 'a@'.repeat(500_000)],
    ['a domain that never ends in letters', `a@b${'.a1'.repeat(300_000)}`],
    ['a phone prefix followed by separators', `+1${' '.repeat(1_000_000)}`],
    ['addresses one after another', 'jo@example.org, '.repeat(60_000)],
  ])('finishes on 1 MB of %s and leaves no address whole', (_name, value) => {
    const scrubbed = scrubPii(value);

    expect(scrubbed).not.toMatch(/jo@example\.org/);
    expect(scrubbed.split('***@').length - 1).toBe(value.split('jo@example.org').length - 1);
  });
});

describe('scrubTruncated', () => {
  it('cuts before masking, and never leaves half an address at the cut', () => {
    const address = 'candidate.with.a.long.name@example.com';
    const value = `${'x'.repeat(MAX_MASKED_CHARS - 10)} ${address} ${'y'.repeat(100_000)}`;

    const scrubbed = scrubTruncated(value);

    expect(scrubbed.length).toBeLessThan(MAX_MASKED_CHARS + 40);
    expect(scrubbed).toMatch(/…\[\d+ more chars\]$/);
    expect(scrubbed).not.toContain('candidate.with');
    expect(scrubTruncated('short jo@example.org')).toBe('short j***@example.org');
  });
});
