import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { buildRestEvent } from '../../src/kit/rest-event-builder.js';
import { inboundParams, twilioSignature } from '../fixtures/twilio-webhooks.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t.stop();
});
beforeEach(async () => {
  await t.drain('whatsappReplies');
});

const API_DOMAIN = 'abc123.execute-api.eu-west-2.amazonaws.com';

/** The REST v1 event API Gateway would hand the Lambda, its requestContext as AWS fills it in. */
function awsEvent(headers: [string, string][], params: Record<string, string>) {
  const event = buildRestEvent({
    method: 'POST',
    path: '/whatsapp',
    headers: [['Content-Type', 'application/x-www-form-urlencoded'], ...headers],
    body: Buffer.from(new URLSearchParams(params).toString()),
    stage: 'prod',
    domainName: API_DOMAIN,
  });
  return { ...event, requestContext: { ...event.requestContext, path: '/prod/whatsapp' } };
}

const params = () =>
  inboundParams({ From: `whatsapp:${DEMO.aiSender}`, To: DEMO.whatsappNumber, AccountSid: DEMO.accountSid });

describe('attack on the handler: URL parts from client headers', () => {
  const other = 'https://crm.example.net/twilio/inbound';

  it.each([
    ['Host', [['Host', 'crm.example.net/twilio/inbound#']]],
    [
      'X-Forwarded-Proto',
      [
        ['Host', API_DOMAIN],
        ['X-Forwarded-Proto', `${other}#`],
      ],
    ],
  ] as const)(
    'a signature for another URL with a forged %s → 403, nothing written',
    async (_name, headers) => {
      const form = params();
      const signature = twilioSignature(DEMO.authToken, other, form);
      t.dynamoProxy.reset();

      const result = await t.stack.handler(
        awsEvent(
          [...headers.map(([n, v]) => [n, v] as [string, string]), ['X-Twilio-Signature', signature]],
          form,
        ),
      );

      expect(result.statusCode).toBe(403);
      expect(t.dynamoProxy.calls.filter((c) => c !== 'GetItem')).toEqual([]);
      expect(await t.drain('whatsappReplies')).toEqual([]);
    },
  );

  it('accepts the signature for the URL API Gateway was really called on', async () => {
    const form = params();
    const signature = twilioSignature(DEMO.authToken, `https://${API_DOMAIN}/prod/whatsapp`, form);

    const result = await t.stack.handler(
      awsEvent(
        [
          ['Host', 'crm.example.net/twilio/inbound#'],
          ['X-Twilio-Signature', signature],
        ],
        form,
      ),
    );

    expect(result.statusCode).toBe(200);
    expect(await t.drain('whatsappReplies')).toHaveLength(1);
  });
});
