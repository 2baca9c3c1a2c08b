import { describe, expect, it } from 'vitest';
import {
  computeMetaSignature,
  META_MAX_BODY_BYTES,
  verifyMetaSignature,
} from '../../src/domain/meta-signature.js';
import { ESCAPED_UNICODE_TEXT } from '../fixtures/meta/escaped-unicode-text.js';

// Bytes as Meta sends them: non-ASCII escaped as \uXXXX (é, an en dash, a surrogate pair), `/` as `\/`.
const RAW = ESCAPED_UNICODE_TEXT;
const SECRET = 'test-app-secret-3f9a';
// Computed independently: `openssl dgst -sha256 -hmac test-app-secret-3f9a escaped-unicode-text.json`.
const OPENSSL = 'sha256=12c0553283ec19c081f759d81fbfff9f351bff438eac7d44ae57f35ecb2ff379';

describe('verifyMetaSignature: raw bytes, one thing broken per test', () => {
  const valid = { rawBody: RAW, header: OPENSSL, appSecrets: [SECRET] };

  it('the fixture really carries escapes (the point of the vector)', () => {
    expect(RAW.toString('latin1')).toContain('\\u00e9');
    expect(RAW.toString('latin1')).toContain('\\ud83d\\udcce');
    expect(RAW.toString('latin1')).toContain('10\\/12');
  });

  it('matches an independent HMAC-SHA256 (openssl) over the bytes as received', () => {
    expect(computeMetaSignature(RAW, SECRET)).toBe(OPENSSL);
    expect(verifyMetaSignature(valid)).toBe(true);
  });

  it('refuses the same JSON re-serialised (what libraries that parse first get wrong)', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(RAW.toString('utf8'))), 'utf8');
    expect(JSON.parse(reserialised.toString('utf8'))).toEqual(JSON.parse(RAW.toString('utf8')));
    expect(verifyMetaSignature({ ...valid, rawBody: reserialised })).toBe(false);
  });

  it('refuses one flipped body byte', () => {
    const tampered = Buffer.from(RAW);
    tampered[tampered.indexOf('Caf')] = 'K'.charCodeAt(0);
    expect(verifyMetaSignature({ ...valid, rawBody: tampered })).toBe(false);
  });

  it('refuses one flipped signature digit', () => {
    const last = OPENSSL.at(-1) === '9' ? '8' : '9';
    expect(verifyMetaSignature({ ...valid, header: OPENSSL.slice(0, -1) + last })).toBe(false);
  });

  it('refuses a missing or empty header', () => {
    expect(verifyMetaSignature({ ...valid, header: undefined })).toBe(false);
    expect(verifyMetaSignature({ ...valid, header: '' })).toBe(false);
  });

  it('refuses the bare hex without the sha256= prefix, and the SHA-1 form', () => {
    expect(verifyMetaSignature({ ...valid, header: OPENSSL.slice('sha256='.length) })).toBe(false);
    expect(verifyMetaSignature({ ...valid, header: `sha1=${OPENSSL.slice(7)}` })).toBe(false);
  });

  it('refuses a header with anything appended (no prefix match)', () => {
    expect(verifyMetaSignature({ ...valid, header: `${OPENSSL}0` })).toBe(false);
    expect(verifyMetaSignature({ ...valid, header: `${OPENSSL},sha256=${'0'.repeat(64)}` })).toBe(false);
  });

  it('accepts upper-case hex (the same digest)', () => {
    expect(verifyMetaSignature({ ...valid, header: `sha256=${OPENSSL.slice(7).toUpperCase()}` })).toBe(true);
  });

  it('refuses a signature made with another secret (e.g. the verify token)', () => {
    const other = computeMetaSignature(RAW, 'the-verify-token');
    expect(verifyMetaSignature({ ...valid, header: other })).toBe(false);
  });

  it('ignores empty secrets: an empty-key signature never passes', () => {
    const emptyKey = computeMetaSignature(RAW, '');
    expect(verifyMetaSignature({ rawBody: RAW, header: emptyKey, appSecrets: [''] })).toBe(false);
    expect(verifyMetaSignature({ rawBody: RAW, header: emptyKey, appSecrets: [] })).toBe(false);
  });

  it('accepts either secret during a rotation', () => {
    const header = computeMetaSignature(RAW, 'new-secret');
    expect(verifyMetaSignature({ rawBody: RAW, header, appSecrets: [SECRET, 'new-secret'] })).toBe(true);
  });

  it('refuses a body over Meta’s 3 MB bound without hashing it', () => {
    const big = Buffer.alloc(META_MAX_BODY_BYTES + 1, 0x20);
    const header = computeMetaSignature(big, SECRET);
    expect(verifyMetaSignature({ rawBody: big, header, appSecrets: [SECRET] })).toBe(false);
  });
});
