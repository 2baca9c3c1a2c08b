import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../../src/domain/constant-time-equal.js';
import {
  computeTwilioSignature,
  type FormParams,
  twilioUrlCandidates,
  verifyTwilioSignature,
} from '../../src/domain/twilio-signature.js';

// Public vectors: /work/shared/guide/facts-twilio.md (Twilio docs, twilio-node and twilio-python specs).
const TOKEN = '12345';
const SPEC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
/** The parameters of the voice-call examples in Twilio's docs and specs. */
const voice = (caller: string): FormParams => [
  ['CallSid', 'CA1234567890ABCDE'],
  ['Caller', caller],
  ['Digits', '1234'],
  ['From', caller],
  ['To', '+18005551212'],
];
const SPEC_PARAMS = voice('+14158675309');

describe('computeTwilioSignature: public vectors', () => {
  it.each<[string, string, FormParams, string]>([
    [
      'the current docs example',
      'https://example.com/myapp.php?foo=1&bar=2',
      voice('+14158675310'),
      'L/OH5YylLD5NRKLltdqwSvS0BnU=',
    ],
    ['the older docs example', SPEC_URL, voice('+12349013030'), '0/KCTR6DLpKmkAf8muzZqo1nDgQ='],
    [
      'repeated keys signed once per distinct value, values sorted (arrays vector)',
      SPEC_URL,
      [
        ['Sid', 'CA123'],
        ['SidAccount', 'AC123'],
        ['Digits', '5678'],
        ['Digits', '1234'],
        ['Digits', '1234'],
      ],
      'IK+Dwps556ElfBT0I3Rgjkr1wJU=',
    ],
  ])('matches %s', (_, url, params, expected) => {
    expect(computeTwilioSignature(url, params, TOKEN)).toBe(expected);
  });

  it.each([
    [SPEC_URL, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
    ['https://mycompany.com:443/myapp.php?foo=1&bar=2', 'kvajT1Ptam85bY51eRf/AJRuM3w='],
    ['http://mycompany.com:1234/myapp.php?foo=1&bar=2', 'Zmvh+3yNM1Phv2jhDCwEM3q5ebU='],
    ['http://mycompany.com:80/myapp.php?foo=1&bar=2', '0ZXoZLH/DfblKGATFgpif+LLRf4='],
    [`${SPEC_URL}&Body=It%27s+amazing`, 'TfZzewPq8wqrGlMfyAud8+/IvJ0='],
    [`${SPEC_URL}&Body=It's+amazing`, 'dsq4Ehbj6cs+KdTkpF5sSSplOWw='],
  ])('matches the twilio-node spec table for %s', (signedUrl, expected) => {
    // Act
    const signature = computeTwilioSignature(signedUrl, SPEC_PARAMS, TOKEN);

    // Assess
    expect(signature).toBe(expected);
  });

  it('signs a JSON webhook as its URL with bodySHA256 and no params', () => {
    // Prepare
    const bodyHash = createHash('sha256').update('{"property": "value", "boolean": true}').digest('hex');
    const url = `${SPEC_URL}&bodySHA256=${bodyHash}`;

    // Act
    const signature = computeTwilioSignature(url, [], TOKEN);

    // Assess
    expect(bodyHash).toBe('0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620');
    expect(signature).toBe('a9nBmqA0ju/hNViExpshrM61xv4=');
  });

  it('ignores parameter order and sorts names by UTF-16 code unit, like Object.keys().sort()', () => {
    // Prepare: U+FF5E sorts after the surrogate pair of U+1F600 in UTF-16, before it in UTF-8 byte order.
    const shuffled: FormParams = [
      ['\uFF5E', '4'],
      ['a', '2'],
      ['B', '1'],
      ['😀', '3'],
    ];

    // Act
    const fromShuffled = computeTwilioSignature(SPEC_URL, shuffled, TOKEN);
    const expected = computeTwilioSignature(`${SPEC_URL}B1a2😀3\uFF5E4`, [], TOKEN);

    // Assess
    expect(fromShuffled).toBe(expected);
  });
});

describe('verifyTwilioSignature: public vectors', () => {
  it.each([
    ['the plain URL', SPEC_URL, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
    ['a default port Twilio signed while the URL has none', SPEC_URL, 'kvajT1Ptam85bY51eRf/AJRuM3w='],
    [
      'the :443 URL as given',
      'https://mycompany.com:443/myapp.php?foo=1&bar=2',
      'kvajT1Ptam85bY51eRf/AJRuM3w=',
    ],
    [
      'a port Twilio did not sign',
      'https://mycompany.com:1234/myapp.php?foo=1&bar=2',
      'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    ],
    [
      'a non-default port as given',
      'http://mycompany.com:1234/myapp.php?foo=1&bar=2',
      'Zmvh+3yNM1Phv2jhDCwEM3q5ebU=',
    ],
    ['http with :80 added', 'http://mycompany.com/myapp.php?foo=1&bar=2', '0ZXoZLH/DfblKGATFgpif+LLRf4='],
    ['an escaped quote as given', `${SPEC_URL}&Body=It%27s+amazing`, 'TfZzewPq8wqrGlMfyAud8+/IvJ0='],
    ['a raw quote as given', `${SPEC_URL}&Body=It's+amazing`, 'dsq4Ehbj6cs+KdTkpF5sSSplOWw='],
    ['a raw quote Twilio signed escaped', `${SPEC_URL}&Body=It's+amazing`, 'TfZzewPq8wqrGlMfyAud8+/IvJ0='],
  ])('accepts %s', (_case, url, signature) => {
    // Act
    const valid = verifyTwilioSignature({ url, params: SPEC_PARAMS, signature, authTokens: [TOKEN] });

    // Assess
    expect(valid).toBe(true);
  });
});

describe('verifyTwilioSignature: one valid request, one thing broken per test', () => {
  const token = 'f3c1a9d2e4b5c6d7e8f90a1b2c3d4e5f';
  const url = 'https://hooks.example.com/prod/webhooks/twilio/whatsapp?tenant=acme';
  const params: FormParams = [
    ['SmsMessageSid', 'SM0123456789abcdef0123456789abcdef'],
    ['NumMedia', '0'],
    ['ProfileName', 'Zoë 😀'],
    ['MessageSid', 'SM0123456789abcdef0123456789abcdef'],
    ['WaId', '447700900123'],
    ['Body', "It's 5+5=10 & fine"],
    ['To', 'whatsapp:+14155238886'],
    ['From', 'whatsapp:+447700900123'],
    ['ApiVersion', '2010-04-01'],
  ];
  const signature = computeTwilioSignature(url, params, token);
  const valid = { url, params, signature, authTokens: [token] };

  it('accepts the request as signed', () => {
    expect(verifyTwilioSignature(valid)).toBe(true);
  });

  it.each<[string, Partial<typeof valid>]>([
    ['a wrong token', { authTokens: ['00000000000000000000000000000000'] }],
    ['no tokens', { authTokens: [] }],
    ['an empty token', { authTokens: [''] }],
    ['a changed param value', { params: params.map(([k, v]) => [k, k === 'Body' ? `${v}!` : v] as const) }],
    ['an added param', { params: [...params, ['Forwarded', 'true']] }],
    ['a removed param', { params: params.filter(([k]) => k !== 'NumMedia') }],
    ['a changed URL path', { url: url.replace('/whatsapp', '/sms') }],
    ['a changed scheme', { url: url.replace('https:', 'http:') }],
    ['a changed query', { url: url.replace('acme', 'other') }],
    ['a truncated signature', { signature: signature.slice(0, -1) }],
    ['an empty signature', { signature: '' }],
  ])('rejects %s', (_case, change) => {
    // Prepare
    const input = { ...valid, ...change };

    // Act
    const accepted = verifyTwilioSignature(input);

    // Assess
    expect(accepted).toBe(false);
  });

  it('rejects a missing signature at run time', () => {
    // Prepare
    const input = { ...valid, signature: undefined as unknown as string };

    // Act
    const accepted = verifyTwilioSignature(input);

    // Assess
    expect(accepted).toBe(false);
  });

  it('accepts the second token during a rotation', () => {
    // Prepare
    const input = { ...valid, authTokens: ['00000000000000000000000000000000', token] };

    // Act
    const accepted = verifyTwilioSignature(input);

    // Assess
    expect(accepted).toBe(true);
  });

  it('strips the fragment (connection overrides) before signing', () => {
    // Prepare
    const input = { ...valid, url: `${url}#rc=3&rp=all` };

    // Act
    const accepted = verifyTwilioSignature(input);

    // Assess
    expect(accepted).toBe(true);
  });

  it('strips user:password before signing', () => {
    // Prepare
    const input = { ...valid, url: url.replace('https://', 'https://twilio:s3cret@') };

    // Act
    const accepted = verifyTwilioSignature(input);

    // Assess
    expect(accepted).toBe(true);
  });

  it('ignores the order the params arrived in', () => {
    // Prepare
    const input = { ...valid, params: [...params].reverse() };

    // Act
    const accepted = verifyTwilioSignature(input);

    // Assess
    expect(accepted).toBe(true);
  });

  it('accepts a long token that takes the createHmac path', () => {
    // Prepare
    const longToken = `ключ-${'x'.repeat(80)}`;
    const input = {
      ...valid,
      signature: computeTwilioSignature(url, params, longToken),
      authTokens: [longToken],
    };

    // Act
    const accepted = verifyTwilioSignature(input);

    // Assess
    expect(accepted).toBe(true);
  });
});

describe('twilioUrlCandidates', () => {
  it('lists the URL as given first, then the default-port variant, without duplicates', () => {
    // Act
    const candidates = twilioUrlCandidates(SPEC_URL);

    // Assess
    expect(candidates).toEqual([SPEC_URL, 'https://mycompany.com:443/myapp.php?foo=1&bar=2']);
  });

  it('keeps a raw quote first and adds the escaped and legacy forms after it', () => {
    // Prepare
    const url = "http://Example.com:80/a b?q=It's+1";

    // Act
    const candidates = twilioUrlCandidates(url);

    // Assess
    expect(candidates).toEqual([
      url,
      "http://Example.com/a b?q=It's+1",
      'http://example.com/a%20b?q=It%27s+1',
      'http://example.com:80/a%20b?q=It%27s+1',
      "http://example.com/a%20b?q=It's%201",
      "http://example.com:80/a%20b?q=It's%201",
    ]);
  });

  it('drops the fragment and the user info', () => {
    // Act
    const candidates = twilioUrlCandidates('https://u:p@example.com/hook#rc=3');

    // Assess
    expect(candidates[0]).toBe('https://example.com/hook');
    expect(candidates.every((candidate) => !candidate.includes('#') && !candidate.includes('@'))).toBe(true);
  });

  it.each(['', 'not a url', 'https://[::1', 'http://exa mple.com/%zz?%zz', '://x', 'mailto:x@y'])(
    'never throws on %j',
    (url) => {
      // Act
      const candidates = twilioUrlCandidates(url);

      // Assess
      expect(candidates[0]).toBe(url);
      expect(verifyTwilioSignature({ url, params: [], signature: 'x', authTokens: [TOKEN] })).toBe(false);
    },
  );
});

describe('constantTimeEqual', () => {
  it.each(['abc', '', '😀'])('finds %j equal to a copy of itself', (a) => {
    expect(constantTimeEqual(a, `${a}`)).toBe(true);
  });

  it.each([
    ['abc', 'abd'],
    ['abc', 'ab'],
    ['a', 'a\u0000'],
    ['', 'a'],
  ])('finds %j and %j different', (a, b) => {
    expect(constantTimeEqual(a, b)).toBe(false);
  });
});
