import fc from 'fast-check';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMailgunForm } from '../../src/app/channels/mailgun-form.js';
import { BadRequestError, UnsupportedMediaTypeError } from '../../src/domain/errors.js';
import { parseFormBody } from '../../src/domain/form-body.js';
import { normaliseMailgun } from '../../src/domain/mailgun-message.js';
import { verifyMailgunSignature } from '../../src/domain/mailgun-signature.js';
import { normaliseTwilio, twilioRegistryAddress } from '../../src/domain/twilio-message.js';
import { verifyTwilioSignature } from '../../src/domain/twilio-signature.js';
import { routeOf, toWebhookRequest } from '../../src/http/rest-event.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { buildRestEvent } from '../../src/kit/rest-event-builder.js';
import { ROUTES } from '../../src/resources.js';
import { multipartBody } from '../fixtures/mailgun-webhooks.js';
import { inboundParams, twilioSignature } from '../fixtures/twilio-webhooks.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

const RUNS = { numRuns: 400 };

/** The only errors a parser or validator may throw: anything else would become a 500. */
function expectOnlyRequestErrors(call: () => unknown): void {
  try {
    call();
  } catch (error) {
    if (!(error instanceof BadRequestError || error instanceof UnsupportedMediaTypeError)) throw error;
  }
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('%', '&', '=', '+', 'a', 'F', '0', '%2', '%E2', '%C3', '\u0000', '\ud800'),
    maxLength: 40,
  }),
);
/** Values at DynamoDB's edges: empty, blank, and longer than a key may be (2,048 bytes). */
const edgeText = fc.constantFrom(
  '',
  '   ',
  'x'.repeat(3000),
  `whatsapp:+${'1'.repeat(2100)}`,
  'é'.repeat(1100),
);
const TWILIO_KEYS = [
  'From',
  'To',
  'AccountSid',
  'MessageSid',
  'Body',
  'NumMedia',
  'MessageStatus',
  'MediaUrl0',
  'Latitude',
  'Longitude',
  'OptOutType',
  'ProfileName',
];
const twilioPairs = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...TWILIO_KEYS), anyText), anyText), {
  maxLength: 14,
});
const MAILGUN_KEYS = [
  'recipient',
  'sender',
  'from',
  'subject',
  'body-plain',
  'stripped-text',
  'message-headers',
  'Message-Id',
  'In-Reply-To',
  'timestamp',
  'token',
  'signature',
];
const mailgunFields = fc.dictionary(
  fc.oneof(fc.constantFrom(...MAILGUN_KEYS), anyText),
  fc.oneof(anyText, fc.json()),
  { maxKeys: 12 },
);

describe('fuzzing: parsers and validators return or throw BadRequestError / UnsupportedMediaTypeError, nothing else', () => {
  it('parseFormBody', () => {
    fc.assert(
      fc.property(anyText, (raw) => expectOnlyRequestErrors(() => parseFormBody(raw))),
      RUNS,
    );
  });

  it('parseFormBody round-trips any pairs encoded as a browser or Twilio would', () => {
    const pairs = fc.array(
      fc.tuple(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
      ),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(pairs, (input) => {
        const encoded = new URLSearchParams(input).toString();
        expect(parseFormBody(encoded)).toEqual(input);
      }),
      RUNS,
    );
  });

  it('twilioRegistryAddress and normaliseTwilio on arbitrary parameters', () => {
    fc.assert(
      fc.property(
        twilioPairs,
        fc.constantFrom('whatsapp', 'sms'),
        fc.option(anyText),
        (pairs, channel, account) => {
          expectOnlyRequestErrors(() => twilioRegistryAddress(pairs));
          expectOnlyRequestErrors(() =>
            normaliseTwilio(channel as 'whatsapp' | 'sms', pairs, account ?? undefined),
          );
        },
      ),
      RUNS,
    );
  });

  it('normaliseTwilio on a valid message with one field replaced by anything', () => {
    const valid = inboundParams({
      From: `whatsapp:${DEMO.aiSender}`,
      To: DEMO.whatsappNumber,
      AccountSid: DEMO.accountSid,
    });
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(valid), ...TWILIO_KEYS), anyText, (key, value) => {
        const pairs = Object.entries({ ...valid, [key]: value });
        expectOnlyRequestErrors(() => normaliseTwilio('whatsapp', pairs, DEMO.accountSid));
      }),
      RUNS,
    );
  });

  it('normaliseMailgun on arbitrary fields', () => {
    fc.assert(
      fc.property(mailgunFields, (fields) => expectOnlyRequestErrors(() => normaliseMailgun(fields, []))),
      RUNS,
    );
  });

  it('parseMailgunForm on arbitrary content types and bodies, multipart ones truncated or corrupted', async () => {
    const contentTypes = fc.oneof(
      fc.constantFrom('multipart/form-data', 'application/x-www-form-urlencoded', 'text/plain', ''),
      anyText,
    );
    const multipart = fc
      .tuple(mailgunFields, fc.nat(), fc.uint8Array({ maxLength: 8 }))
      .map(([fields, cut, noise]) => {
        const { contentType, body } = multipartBody(
          Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/["\r\n]/g, ''), v])),
        );
        const at = body.length === 0 ? 0 : cut % body.length;
        return [contentType, Buffer.concat([body.subarray(0, at), noise, body.subarray(at)])] as const;
      });
    const arbitrary = fc.tuple(
      contentTypes,
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(multipart, arbitrary), async ([header, body]) => {
        const mediaType = header.split(';')[0]?.trim().toLowerCase() ?? '';
        try {
          await parseMailgunForm(mediaType, header, body);
        } catch (error) {
          if (!(error instanceof BadRequestError || error instanceof UnsupportedMediaTypeError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('verifyTwilioSignature answers a boolean for any URL, parameters, signature and tokens', () => {
    const urls = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), anyText);
    fc.assert(
      fc.property(
        urls,
        twilioPairs,
        anyText,
        fc.array(anyText, { maxLength: 3 }),
        (url, params, signature, tokens) => {
          expect(typeof verifyTwilioSignature({ url, params, signature, authTokens: tokens })).toBe(
            'boolean',
          );
        },
      ),
      RUNS,
    );
  });

  it('verifyTwilioSignature accepts exactly what twilio-node signs, whatever the URL', () => {
    const params = fc.dictionary(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true }), params, (url, record) => {
        const signature = twilio.getExpectedTwilioSignature(DEMO.authToken, url, record);
        expect(
          verifyTwilioSignature({
            url,
            params: Object.entries(record),
            signature,
            authTokens: [DEMO.authToken],
          }),
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('verifyMailgunSignature answers a verdict for any input', () => {
    const now = fc.oneof(fc.integer(), fc.double(), fc.constant(Number.NaN));
    fc.assert(
      fc.property(
        anyText,
        anyText,
        anyText,
        fc.array(anyText, { maxLength: 3 }),
        now,
        (timestamp, token, signature, keys, nowEpochSeconds) => {
          const result = verifyMailgunSignature({
            timestamp,
            token,
            signature,
            signingKeys: keys,
            nowEpochSeconds,
          });
          expect(result.ok || ['malformed', 'stale', 'mismatch'].includes(result.reason)).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

describe('fuzzing: buildRestEvent → toWebhookRequest keeps what the provider sent', () => {
  const headerName = fc
    .stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/)
    .filter((n) => !/^(host|content-type|x-forwarded-proto)$/i.test(n));
  const headerValue = fc
    .string({ unit: 'binary-ascii', maxLength: 30 })
    .map((v) => v.replace(/[\r\n]/g, ' '));

  it('body bytes, header values (first wins, names lower-cased), route and public URL survive the round trip', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROUTES),
        fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'Multipart/Form-Data',
          'text/plain',
        ),
        fc.constantFrom('http', 'https'),
        (route, extra, body, contentType, proto) => {
          const headers: [string, string][] = [
            ['Host', 'hooks.example.com'],
            ['Content-Type', contentType],
            ['X-Forwarded-Proto', proto],
            ...extra,
          ];
          const event = buildRestEvent({ method: 'POST', path: route.path, headers, body });
          const request = toWebhookRequest(event, routeOf(event) ?? route, undefined, new Date());
          const binary = event.isBase64Encoded;
          expect(binary).toBe(contentType.toLowerCase().startsWith('multipart/form-data'));
          // Text media types travel as UTF-8 strings, as API Gateway passes them: invalid sequences are replaced.
          expect(request.body.equals(binary ? body : Buffer.from(body.toString('utf8'), 'utf8'))).toBe(true);
          expect(request.channel).toBe(route.channel);
          // The client's X-Forwarded-Proto never enters the signed URL: API Gateway serves HTTPS only.
          expect(request.publicUrl).toBe(`https://hooks.example.com${route.path}`);
          for (const [name, value] of headers) {
            const first = headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
            expect(request.headers[name.toLowerCase()]).toBe(first);
            expect(
              first === value ||
                headers.some(([n, v]) => n.toLowerCase() === name.toLowerCase() && v === value),
            ).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });
});

describe('fuzzing the whole handler (real adapters, dynalite, local SQS): no event API Gateway can send gets a 5xx', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('arbitrary methods, paths, headers and bodies', async () => {
    const paths = fc.oneof(fc.constantFrom('/whatsapp', '/sms', '/email', '/'), fc.webPath());
    const contentType = fc.oneof(
      fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=b', ''),
      anyText.map((v) => v.replace(/[\r\n]/g, '')),
    );
    const body = fc.oneof(
      anyText.map((s) => Buffer.from(s)),
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
      fc
        .oneof(anyText, edgeText)
        .map((v) => Buffer.from(new URLSearchParams({ To: v, recipient: v }).toString())),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'POST', 'GET', 'PUT', 'HEAD'),
        paths,
        contentType,
        anyText,
        body,
        async (method, path, type, signature, raw) => {
          const event = buildRestEvent({
            method,
            path,
            headers: [
              ['Host', '127.0.0.1'],
              ['Content-Type', type],
              ['X-Twilio-Signature', signature.replace(/[\r\n]/g, '')],
            ],
            body: raw,
          });
          const result = await t.stack.handler(event);
          expect(result.statusCode).toBeLessThan(500);
          if (result.statusCode >= 400) expect(typeof JSON.parse(result.body).message).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('validly signed Twilio webhooks with any field replaced, added or removed', async () => {
    const url = 'http://127.0.0.1/whatsapp';
    const mutation = fc.tuple(
      fc.oneof(
        fc.constantFrom(...TWILIO_KEYS),
        anyText.filter((k) => k.length > 0),
      ),
      fc.option(fc.oneof(anyText, edgeText)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const params: Record<string, string> = inboundParams({
          From: `whatsapp:${DEMO.aiSender}`,
          To: DEMO.whatsappNumber,
          AccountSid: DEMO.accountSid,
        });
        for (const [key, value] of mutations) {
          if (value === null) delete params[key];
          else params[key] = value;
        }
        const event = buildRestEvent({
          method: 'POST',
          path: '/whatsapp',
          headers: [
            ['Host', '127.0.0.1'],
            ['X-Forwarded-Proto', 'http'],
            ['Content-Type', 'application/x-www-form-urlencoded'],
            ['X-Twilio-Signature', twilioSignature(DEMO.authToken, url, params)],
          ],
          body: Buffer.from(new URLSearchParams(params).toString()),
        });
        const result = await t.stack.handler(event);
        expect(result.statusCode).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    await t.drain('whatsappReplies');
  });
});
