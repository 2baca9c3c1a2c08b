import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { buildWebhook } from '../../src/cli/build-webhook.js';
import { verifyTwilioSignature } from '../../src/domain/twilio-signature.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { webhookUrlFor, wireUrl } from '../../src/kit/signed-request.js';
import { signTwilioRequest, twilioMessageParams, twilioStatusParams } from '../../src/kit/twilio-webhook.js';

const NOW = new Date('2026-01-02T03:04:05Z');

function header(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

function postedParams(body: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
}

describe('send whatsapp|sms: what the CLI posts is signed exactly as twilio-node expects', () => {
  it.each([
    ['whatsapp', 'http://127.0.0.1:3000/whatsapp', {}],
    ['sms', 'http://127.0.0.1:3000/sms', {}],
    [
      'whatsapp',
      'https://hooks.example.com/prod/whatsapp?tenant=a%20b',
      { mediaUrls: ['https://cdn.example/cv.pdf'] },
    ],
    ['sms', 'http://localhost:3000/sms', { messageId: 'SM0123456789abcdef0123456789abcdef' }],
  ] as const)('%s to %s', async (channel, url, extra) => {
    const request = await buildWebhook({
      channel,
      webhookUrl: url,
      from: DEMO.aiSender,
      to: channel === 'whatsapp' ? DEMO.whatsappNumber : DEMO.smsNumber,
      body: 'Hello – ünïcode & symbols = + % 😀',
      credentials: {},
      now: NOW,
      ...extra,
    });

    const params = postedParams(request.body);
    const expected = twilio.getExpectedTwilioSignature(DEMO.authToken, url, params);
    expect(header(request.headers, 'X-Twilio-Signature')).toBe(expected);
    expect(twilio.validateRequest(DEMO.authToken, expected, url, params)).toBe(true);
    expect(request.url).toBe(url);
    expect(params.AccountSid).toBe(DEMO.accountSid);
    expect(params.Body).toBe('Hello – ünïcode & symbols = + % 😀');
    expect(params.MessageSid).toBe(request.messageId);
    expect(header(request.headers, 'Content-Type')).toBe('application/x-www-form-urlencoded');
  });

  it('adds the whatsapp: prefix, WaId and media fields as Twilio does', () => {
    const params = Object.fromEntries(
      twilioMessageParams({
        channel: 'whatsapp',
        from: '+447700900123',
        to: 'whatsapp:+14155238886',
        body: '',
        accountSid: DEMO.accountSid,
        mediaUrls: ['https://cdn.example/photo.jpg'],
      }),
    );

    expect(params).toMatchObject({
      From: 'whatsapp:+447700900123',
      To: 'whatsapp:+14155238886',
      WaId: '447700900123',
      NumMedia: '1',
      MediaUrl0: 'https://cdn.example/photo.jpg',
      MediaContentType0: 'image/jpeg',
      MessageType: 'image',
    });
    expect(params.MessageSid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(params.SmsSid).toBe(params.MessageSid);
  });

  it('a status callback names the company channel as From', () => {
    const params = Object.fromEntries(
      twilioStatusParams({
        channel: 'sms',
        companyChannel: DEMO.smsNumber,
        recipient: DEMO.aiSender,
        status: 'delivered',
        accountSid: DEMO.accountSid,
      }),
    );

    expect(params).toMatchObject({ From: DEMO.smsNumber, To: DEMO.aiSender, MessageStatus: 'delivered' });
    expect(params.Body).toBeUndefined();
  });

  it('signs over the URL without its fragment and credentials, and sends those as Basic auth', () => {
    const params = twilioMessageParams({
      channel: 'sms',
      from: DEMO.aiSender,
      to: DEMO.smsNumber,
      body: 'hi',
      accountSid: DEMO.accountSid,
    });

    const request = signTwilioRequest(
      'https://user:p%40ss@hooks.example.com/sms#rc=3&rp=all',
      params,
      'token',
    );

    expect(request.url).toBe('https://hooks.example.com/sms');
    const signature = header(request.headers, 'X-Twilio-Signature') ?? '';
    expect(signature).toBe(
      twilio.getExpectedTwilioSignature('token', request.url, Object.fromEntries(params)),
    );
    expect(verifyTwilioSignature({ url: request.url, params, signature, authTokens: ['token'] })).toBe(true);
    expect(header(request.headers, 'Authorization')).toBe(
      `Basic ${Buffer.from('user:p@ss').toString('base64')}`,
    );
  });

  it('keeps the retries of one delivery on one idempotency token', () => {
    const params = twilioMessageParams({
      channel: 'sms',
      from: '+1',
      to: '+2',
      body: 'x',
      accountSid: 'AC1',
    });

    const first = signTwilioRequest('http://a/sms', params, 't', 'token-1');
    const fallback = signTwilioRequest('http://b/sms', params, 't', 'token-1');

    expect(header(first.headers, 'I-Twilio-Idempotency-Token')).toBe('token-1');
    expect(header(fallback.headers, 'I-Twilio-Idempotency-Token')).toBe('token-1');
    expect(header(first.headers, 'X-Twilio-Signature')).not.toBe(
      header(fallback.headers, 'X-Twilio-Signature'),
    );
  });
});

describe('webhook URLs', () => {
  it.each([
    ['http://127.0.0.1:3000', 'whatsapp', 'http://127.0.0.1:3000/whatsapp'],
    ['http://127.0.0.1:3000/', 'sms', 'http://127.0.0.1:3000/sms'],
    ['https://api.example.com/prod#rc=2&rp=all', 'sms', 'https://api.example.com/prod/sms#rc=2&rp=all'],
    ['https://api.example.com/prod?x=1', 'email', 'https://api.example.com/prod/email?x=1'],
    ['https://hooks.example.com/custom/whatsapp', 'whatsapp', 'https://hooks.example.com/custom/whatsapp'],
  ])('%s + %s → %s', (base, channel, expected) => {
    expect(webhookUrlFor(base, channel)).toBe(expected);
  });

  it('rejects what is not an http(s) URL', () => {
    expect(() => webhookUrlFor('127.0.0.1:3000', 'sms')).toThrow(/URL/);
    expect(() => webhookUrlFor('ftp://example.com', 'sms')).toThrow(/http/);
  });

  it('keeps the wire URL byte for byte when there is nothing to strip', () => {
    expect(wireUrl('https://Hooks.Example.com:443/a%7eb?q=1#ct=100')).toEqual({
      url: 'https://Hooks.Example.com:443/a%7eb?q=1',
    });
  });
});
