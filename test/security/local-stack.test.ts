import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { inboundParams, twilioSignature } from '../fixtures/twilio-webhooks.js';
import { drainQueue } from '../helpers/queues.js';
import { rawRequest, sendRaw } from '../helpers/raw-http.js';
import { useInspectedStack } from '../helpers/test-stack.js';

const inspected = useInspectedStack();
let port: number;

beforeAll(async () => {
  port = Number(new URL(inspected.stack.gatewayUrl).port);
});

const OTHER_URL = 'http://crm.example.net/twilio/inbound';

/** A WhatsApp webhook signed for another URL of the same Twilio account, sent with forged URL parts. */
function forgedUrlWebhook(headers: [string, string][]) {
  const params = inboundParams({
    From: `whatsapp:${DEMO.aiSender}`,
    To: DEMO.whatsappNumber,
    AccountSid: DEMO.accountSid,
  });
  return rawRequest({
    method: 'POST',
    target: '/whatsapp',
    headers: [
      ...headers,
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['X-Twilio-Signature', twilioSignature(DEMO.authToken, OTHER_URL, params)],
    ],
    body: new URLSearchParams(params).toString(),
  });
}

describe('attack: a signature made for another URL, with a forged Host or X-Forwarded-Proto', () => {
  it.each([
    ['Host', [['Host', 'crm.example.net/twilio/inbound#']]],
    [
      'X-Forwarded-Proto',
      [
        ['Host', `127.0.0.1:PORT`],
        ['X-Forwarded-Proto', `${OTHER_URL}#`],
      ],
    ],
    ['a foreign but well-formed Host', [['Host', 'crm.example.net']]],
  ] as const)('%s: refused by the local gateway, nothing queued', async (_name, headers) => {
    const resolved = headers.map(([n, v]) => [n, v.replace('PORT', String(port))] as [string, string]);

    const response = await sendRaw(port, forgedUrlWebhook(resolved));

    expect([400, 403]).toContain(response.status);
    expect(await drainQueue(inspected.sqs, inspected.stack.queueUrls.whatsappReplies)).toEqual([]);
  });
});

describe('attack: DNS rebinding and cross-site requests to /_local/', () => {
  const get = (path: string, headers: [string, string][]) =>
    sendRaw(port, rawRequest({ method: 'GET', target: path, headers }));
  const own = () => `127.0.0.1:${port}`;
  /** POST /_local/api/send (the inspector's "sign and send") with these headers and a JSON body. */
  const postSend = (headers: [string, string][], body: string | Buffer) =>
    sendRaw(
      port,
      rawRequest({
        method: 'POST',
        target: '/_local/api/send',
        headers: [...headers, ['Content-Type', 'application/json']],
        body,
      }),
    );
  const atPort = (v: string) => v.replace('OTHER_PORT', String(port + 1)).replace('PORT', String(port));

  it.each([
    [
      'a rebound Host (the attacker’s name, same origin for the browser)',
      [['Host', 'rebind.evil.example:PORT']],
    ],
    [
      'a loopback Host with a cross-site Origin',
      [
        ['Host', '127.0.0.1:PORT'],
        ['Origin', 'http://evil.example'],
      ],
    ],
    [
      'a loopback Host with Sec-Fetch-Site: cross-site',
      [
        ['Host', '127.0.0.1:PORT'],
        ['Sec-Fetch-Site', 'cross-site'],
      ],
    ],
    ['localhost on another port', [['Host', 'localhost:OTHER_PORT']]],
  ] as const)('refuses %s with 403 (unmasked outbox, page, API)', async (_name, headers) => {
    for (const path of ['/_local/api/outbox?unmasked=true', '/_local/', '/_local/api/exchanges']) {
      const response = await get(
        path,
        headers.map(([n, v]) => [n, atPort(v)] as [string, string]),
      );
      expect(response.status).toBe(403);
      expect(response.body).not.toContain('entries');
    }
  });

  it('refuses a rebound POST /_local/api/send, so nothing is signed and sent', async () => {
    const body = JSON.stringify({ channel: 'whatsapp', from: DEMO.aiSender, body: 'sent by a web page' });
    const response = await postSend(
      [
        ['Host', `rebind.evil.example:${port}`],
        ['Origin', `http://rebind.evil.example:${port}`],
      ],
      body,
    );

    expect(response.status).toBe(403);
    expect(await drainQueue(inspected.sqs, inspected.stack.queueUrls.whatsappReplies)).toEqual([]);
  });

  it('still serves the page and API to same-origin callers on localhost and 127.0.0.1', async () => {
    for (const host of [own(), `localhost:${port}`]) {
      const response = await get('/_local/api/exchanges', [
        ['Host', host],
        ['Origin', `http://${host}`],
        ['Sec-Fetch-Site', 'same-origin'],
      ]);
      expect(response.status).toBe(200);
    }
  });

  it('answers an unknown path and a refused local route without waiting for a 10 MB body', async () => {
    const announced = (target: string, host: string) =>
      Buffer.from(
        `POST ${target} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${10 * 1024 * 1024}\r\nConnection: close\r\n\r\n`,
      );

    // Only the head is sent: the old gateway buffered the body before routing, and never answered these.
    const unknown = await sendRaw(port, announced('/no-such-route', own()), 5_000);
    const foreign = await sendRaw(port, announced('/_local/api/send', 'evil.example'), 5_000);

    expect(unknown.status).toBe(403);
    expect(foreign.status).toBe(403);
  });

  it('applies the local routes’ 1 MB limit while reading', async () => {
    const response = await postSend([['Host', own()]], Buffer.alloc(2 * 1024 * 1024, 0x20));

    expect(response.status).toBe(413);
  });
});

describe('attack: one unauthenticated 1 MB field against the inspector', () => {
  it('lists and shows the exchange without a quadratic scan (the old pattern needed hours for 1 MB)', async () => {
    const huge = 'a'.repeat(1_000_000);
    const posted = await fetch(`${inspected.stack.gatewayUrl}/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        recipient: DEMO.emailAddress,
        sender: huge,
        'body-plain': huge,
      }).toString(),
    });
    expect(posted.status).toBe(403);
    const id = posted.headers.get('x-amzn-requestid') ?? '';

    for (let poll = 0; poll < 3; poll++) {
      const list = await fetch(`${inspected.stack.gatewayUrl}/_local/api/exchanges`);
      expect(list.status).toBe(200);
    }
    const detail = await fetch(`${inspected.stack.gatewayUrl}/_local/api/exchanges/${id}`);
    const shown = JSON.stringify(await detail.json());

    expect(detail.status).toBe(200);
    expect(shown.length).toBeLessThan(50_000);
    expect(shown).toContain('more chars]');
  });
});

describe('attack: a malformed percent-escape in an inspector path (review 2, item 7)', () => {
  it.each([
    '/_local/api/exchanges/%E0%A4%A',
    '/_local/api/exchanges/%',
    '/_local/api/exchanges/x/attachments/%ZZ',
  ])('%s → 400 (the client’s mistake), not 502', async (path) => {
    const response = await fetch(`${inspected.stack.gatewayUrl}${path}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'malformed URI' });
  });
});
