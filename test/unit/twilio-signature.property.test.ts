import fc from 'fast-check';
// twilio-node is a devDependency used only as the test oracle.
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { describe, expect, it } from 'vitest';
import {
  computeTwilioSignature,
  type FormParams,
  verifyTwilioSignature,
} from '../../src/domain/twilio-signature.js';

const NUM_RUNS = 300;
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';

// Characters that break naive implementations: form delimiters, quotes, emoji, combining marks, lone surrogates.
const tricky = fc.constantFrom(
  '+',
  "'",
  '&',
  '=',
  '%',
  '%27',
  ' ',
  '#',
  '?',
  'é',
  'ß',
  '😀',
  '👍🏽',
  'e\u0301',
  '\uD800',
  '\uDFFF',
  '\uFF5E',
);
const text = fc
  .array(
    fc.oneof(
      tricky,
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    {
      maxLength: 5,
    },
  )
  .map((parts) => parts.join(''));
const paramName = fc.oneof(
  fc.constantFrom('Body', 'body', 'From', 'To', 'MediaUrl0', 'MediaUrl10', 'B', '_', ''),
  text,
);
const params = fc.array(fc.tuple(paramName, fc.oneof(fc.constant(''), text)), { maxLength: 20 });
const token = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
);

// URLs as configured in the Twilio console: scheme, host, optional port, path, query with tricky characters.
const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/);
const queryPart = fc.oneof(segment, fc.constantFrom("It's", 'a+b', '%27', '%20', 'caf%C3%A9', '', 'x=y'));
const url = fc
  .record({
    scheme: fc.constantFrom('https', 'http'),
    host: fc.oneof(fc.domain(), fc.constantFrom('localhost', '127.0.0.1', 'Hooks.Example.COM')),
    port: fc.option(fc.oneof(fc.constantFrom(80, 443, 8080), fc.integer({ min: 1, max: 65535 })), {
      nil: undefined,
    }),
    path: fc.array(segment, { maxLength: 4 }),
    query: fc.option(fc.array(fc.tuple(segment, queryPart), { minLength: 1, maxLength: 3 }), {
      nil: undefined,
    }),
  })
  .map(({ scheme, host, port, path, query }) => {
    const authority = port === undefined ? host : `${host}:${port}`;
    const search = query === undefined ? '' : `?${query.map(([k, v]) => `${k}=${v}`).join('&')}`;
    return `${scheme}://${authority}/${path.join('/')}${search}`;
  });

/** twilio-node takes the parsed body as an object: a repeated name becomes an array of its values. */
function toTwilioObject(pairs: FormParams): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of pairs) {
    const existing = object[name];
    object[name] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return object;
}

function defaultPortVariants(configured: string): { withoutPort: string; withDefaultPort: string } {
  const defaultPort = configured.startsWith('https:') ? ':443' : ':80';
  const withoutPort = configured.replace(/^(https?:\/\/[^/:]+)(:\d+)?/, '$1');
  return { withoutPort, withDefaultPort: withoutPort.replace(/^(https?:\/\/[^/]+)/, `$1${defaultPort}`) };
}

describe('computeTwilioSignature agrees with twilio-node', () => {
  it('for generated URLs, params (unicode, repeated names, delimiters, empty values) and tokens', () => {
    fc.assert(
      fc.property(url, params, token, (signedUrl, pairs, authToken) => {
        // Act
        const ours = computeTwilioSignature(signedUrl, pairs, authToken);
        const oracle = getExpectedTwilioSignature(authToken, signedUrl, toTwilioObject(pairs));

        // Assess
        expect(ours).toBe(oracle);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('for arbitrary strings as the URL', () => {
    fc.assert(
      fc.property(text, params, (signedUrl, pairs) => {
        expect(computeTwilioSignature(signedUrl, pairs, '12345')).toBe(
          getExpectedTwilioSignature('12345', signedUrl, toTwilioObject(pairs)),
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('verifyTwilioSignature against twilio-node signatures', () => {
  it('accepts a signature over the default-port variant of the configured URL, either way round', () => {
    fc.assert(
      fc.property(url, params, token, fc.boolean(), (configured, pairs, authToken, twilioAddedPort) => {
        // Prepare
        const { withoutPort, withDefaultPort } = defaultPortVariants(configured);
        const [signedUrl, givenUrl] = twilioAddedPort
          ? [withDefaultPort, withoutPort]
          : [withoutPort, withDefaultPort];
        const signature = getExpectedTwilioSignature(authToken, signedUrl, toTwilioObject(pairs));

        // Act
        const accepted = verifyTwilioSignature({
          url: givenUrl,
          params: pairs,
          signature,
          authTokens: [authToken],
        });

        // Assess
        expect(accepted).toBe(authToken.length > 0);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is never stricter than twilio-node validateRequest', () => {
    fc.assert(
      fc.property(url, params, fc.nat(3), (configured, pairs, form) => {
        // Prepare: Twilio signed the URL as configured or one of the forms twilio-node tolerates.
        const { withoutPort, withDefaultPort } = defaultPortVariants(configured);
        const signedUrl =
          [configured, withoutPort, withDefaultPort, new URL(configured).toString()][form] ?? '';
        const object = toTwilioObject(pairs);
        const signature = getExpectedTwilioSignature('12345', signedUrl, object);

        // Act
        const oracle = validateRequest('12345', signature, configured, object);
        const ours = verifyTwilioSignature({
          url: configured,
          params: pairs,
          signature,
          authTokens: ['12345'],
        });

        // Assess
        expect(ours || !oracle).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('rejects the signature with any single character changed', () => {
    fc.assert(
      fc.property(url, params, token, fc.nat(), fc.nat(), (configured, pairs, authToken, at, by) => {
        // Prepare
        const signature = getExpectedTwilioSignature(authToken, configured, toTwilioObject(pairs));
        const index = at % signature.length;
        const original = signature.charAt(index);
        const alternatives = BASE64.replace(original, '');
        const flipped =
          signature.slice(0, index) +
          alternatives.charAt(by % alternatives.length) +
          signature.slice(index + 1);

        // Act
        const accepted = verifyTwilioSignature({
          url: configured,
          params: pairs,
          signature: flipped,
          authTokens: [authToken],
        });

        // Assess
        expect(accepted).toBe(false);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
