import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/domain/errors.js';
import { normaliseTwilio, twilioRegistryAddress } from '../../src/domain/twilio-message.js';
import type { FormParams } from '../../src/domain/twilio-signature.js';

const ACCOUNT = `AC${'a'.repeat(32)}`;
const SID = `SM${'b'.repeat(32)}`;

function valid(overrides: Record<string, string | undefined> = {}): FormParams {
  const base: Record<string, string | undefined> = {
    MessageSid: SID,
    AccountSid: ACCOUNT,
    From: 'whatsapp:+447700900123',
    To: 'whatsapp:+14155238886',
    Body: 'Hello',
    NumMedia: '0',
    SmsStatus: 'received',
    ...overrides,
  };
  return Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined);
}

describe('normaliseTwilio (one valid webhook, one thing broken per test)', () => {
  it('turns a valid WhatsApp webhook into a neutral message with the bare E.164 sender', () => {
    expect(normaliseTwilio('whatsapp', valid(), ACCOUNT)).toMatchObject({
      channel: 'whatsapp',
      kind: 'message',
      from: '+447700900123',
      to: 'whatsapp:+14155238886',
      body: 'Hello',
      messageId: SID,
    });
  });

  it.each([
    ['From missing', { From: undefined }, 'Missing field: From'],
    ['To missing', { To: undefined }, 'Missing field: To'],
    ['AccountSid missing', { AccountSid: undefined }, 'Missing field: AccountSid'],
    ['MessageSid missing', { MessageSid: undefined }, 'Missing field: MessageSid'],
    ['Body missing without media', { Body: undefined }, 'Missing field: Body'],
    ['From not WhatsApp-shaped', { From: '+447700900123' }, 'Invalid field From'],
    ['To not E.164', { To: 'whatsapp:14155238886' }, 'Invalid field To'],
    ['MessageSid too short', { MessageSid: 'SM1' }, 'Invalid field MessageSid'],
    ['AccountSid of another account', { AccountSid: `AC${'c'.repeat(32)}` }, 'does not match'],
    ['NumMedia not a number', { NumMedia: 'x' }, 'Invalid field NumMedia'],
  ])('rejects %s with a 400 naming the field', (_name, change, message) => {
    expect(() => normaliseTwilio('whatsapp', valid(change), ACCOUNT)).toThrow(message);
  });

  it('accepts an empty Body when NumMedia > 0 and keeps the media list', () => {
    const params = valid({
      Body: undefined,
      NumMedia: '1',
      MediaUrl0: 'https://m/0',
      MediaContentType0: 'image/png',
    });

    expect(normaliseTwilio('whatsapp', params, ACCOUNT).media).toEqual([
      { url: 'https://m/0', content_type: 'image/png' },
    ]);
  });

  it('uses plain E.164 addresses on SMS', () => {
    const message = normaliseTwilio('sms', valid({ From: '+447700900123', To: '+14155550100' }), ACCOUNT);

    expect(message).toMatchObject({ channel: 'sms', from: '+447700900123', to: '+14155550100' });
  });

  it('flags STOP-family keywords and OptOutType', () => {
    const optOut = (extra: Record<string, string>) =>
      normaliseTwilio('sms', valid({ From: '+447700900123', To: '+14155550100', ...extra }), ACCOUNT).optOut;
    expect(optOut({ Body: ' unsubscribe ' })).toBe('STOP');
    expect(optOut({ Body: 'please stop', OptOutType: 'STOP' })).toBe('STOP');
    expect(optOut({ Body: 'please stop' })).toBeUndefined();
  });

  it('recognises a status callback and keys it by the company number', () => {
    const params: FormParams = [
      ['MessageSid', SID],
      ['AccountSid', ACCOUNT],
      ['MessageStatus', 'delivered'],
      ['From', 'whatsapp:+14155238886'],
      ['To', 'whatsapp:+447700900123'],
    ];

    expect(twilioRegistryAddress(params)).toBe('whatsapp:+14155238886');
    expect(normaliseTwilio('whatsapp', params, ACCOUNT)).toMatchObject({
      kind: 'status',
      status: { message_status: 'delivered' },
    });
  });

  it('rejects a request without To before any lookup', () => {
    expect(() => twilioRegistryAddress(valid({ To: undefined }))).toThrow(BadRequestError);
  });
});
