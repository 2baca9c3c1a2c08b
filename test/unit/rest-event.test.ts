import { describe, expect, it } from 'vitest';
import { publicUrlOf, routeOf, toWebhookRequest } from '../../src/http/rest-event.js';
import { buildRestEvent } from '../../src/kit/rest-event-builder.js';
import { ROUTES } from '../../src/resources.js';

const whatsapp = ROUTES[0] as (typeof ROUTES)[number];

function awsEvent(headers: [string, string][], stagePath = '/prod/whatsapp') {
  const event = buildRestEvent({ method: 'POST', path: '/whatsapp', headers, body: Buffer.from('a=b') });
  return { ...event, requestContext: { ...event.requestContext, path: stagePath, stage: 'prod' } };
}

describe('REST v1 event translation', () => {
  it('builds the public URL from requestContext.domainName and the stage path, always https', () => {
    const event = awsEvent([['Host', 'abc123.execute-api.eu-west-2.amazonaws.com']]);

    expect(publicUrlOf(event, whatsapp, undefined)).toBe(
      'https://abc123.execute-api.eu-west-2.amazonaws.com/prod/whatsapp',
    );
  });

  it.each([
    ['Host', 'crm.example.net/twilio/inbound#'],
    ['X-Forwarded-Proto', 'https://crm.example.net/twilio/inbound#'],
  ])('never lets a client %s header into the URL (%s)', (name, value) => {
    const event = awsEvent([
      ['Host', 'abc123.execute-api.eu-west-2.amazonaws.com'],
      [name, value],
    ]);
    const forged = {
      ...event,
      requestContext: { ...event.requestContext, domainName: 'abc123.execute-api.eu-west-2.amazonaws.com' },
    };

    expect(publicUrlOf(forged, whatsapp, undefined)).toBe(
      'https://abc123.execute-api.eu-west-2.amazonaws.com/prod/whatsapp',
    );
  });

  it('uses http only for the local gateway on a loopback name', () => {
    const event = buildRestEvent({
      method: 'POST',
      path: '/whatsapp',
      headers: [],
      body: Buffer.alloc(0),
      domainName: '127.0.0.1:3000',
    });

    expect(publicUrlOf(event, whatsapp, undefined)).toBe('http://127.0.0.1:3000/whatsapp');
  });

  it('prefers the configured canonical base URL (custom domains, base path mappings)', () => {
    const event = awsEvent([['Host', 'abc123.execute-api.eu-west-2.amazonaws.com']]);

    expect(publicUrlOf(event, whatsapp, 'https://hooks.example.com')).toBe(
      'https://hooks.example.com/whatsapp',
    );
  });

  it('re-serialises query parameters onto the public URL', () => {
    const event = buildRestEvent({
      method: 'POST',
      path: '/whatsapp',
      query: new URLSearchParams('tenant=a b'),
      headers: [['host', 'h']],
      body: Buffer.alloc(0),
    });

    expect(publicUrlOf(event, whatsapp, undefined)).toBe('https://h/whatsapp?tenant=a%20b');
  });

  it('looks headers up case-insensitively and decodes base64 bodies', () => {
    const event = buildRestEvent({
      method: 'POST',
      path: '/email',
      headers: [
        ['CONTENT-TYPE', 'multipart/form-data; boundary=x'],
        ['Host', 'h'],
      ],
      body: Buffer.from([0xff, 0x00, 0x41]),
    });

    const request = toWebhookRequest(event, routeOf(event) ?? whatsapp, undefined, new Date());

    expect(event.isBase64Encoded).toBe(true);
    expect(request.headers['content-type']).toBe('multipart/form-data; boundary=x');
    expect([...request.body]).toEqual([0xff, 0x00, 0x41]);
  });

  it('keeps urlencoded bodies as text, like API Gateway without a matching binary media type', () => {
    const event = buildRestEvent({
      method: 'POST',
      path: '/sms',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: Buffer.from('Body=caf%C3%A9'),
    });

    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBe('Body=caf%C3%A9');
    expect(routeOf(event)?.channel).toBe('sms');
  });
});
