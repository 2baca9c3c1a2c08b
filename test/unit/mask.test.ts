import { describe, expect, it } from 'vitest';
import { maskAddress, maskEmail, maskPhone, scrubPii } from '../../src/domain/mask.js';

describe('masking', () => {
  it('keeps only the country prefix and last two digits of a phone number', () => {
    expect(maskPhone('+447700900123')).toBe('+44********23');
    expect(maskPhone('whatsapp:+14155238886')).toBe('whatsapp:+14*******86');
  });

  it('keeps the first letter and the domain of an email address', () => {
    expect(maskEmail('candidate@example.com')).toBe('c***@example.com');
    expect(maskAddress('candidate@example.com')).toBe('c***@example.com');
  });

  it('scrubs phone numbers and emails inside free text, leaving timestamps and ids alone', () => {
    const text =
      'from +447700900123 to jo@example.org at 2026-11-28T10:09:54.509Z id SM4f602c5227ca461aaa83697e34e5e798';

    const scrubbed = scrubPii(text);

    expect(scrubbed).not.toContain('+447700900123');
    expect(scrubbed).not.toContain('jo@example.org');
    expect(scrubbed).toContain('2026-11-28T10:09:54.509Z');
    expect(scrubbed).toContain('SM4f602c5227ca461aaa83697e34e5e798');
  });
});
