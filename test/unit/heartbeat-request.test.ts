import { describe, expect, it } from 'vitest';
import { ConfigError, loadHeartbeatConfig } from '../../src/config.js';
import { computeTwilioSignature } from '../../src/domain/twilio-signature.js';
import { buildHeartbeatRequest, parseHeartbeatCredentials } from '../../src/heartbeat/heartbeat-request.js';
import { ENV, HEARTBEAT } from '../../src/resources.js';

const CREDENTIALS = { account_sid: `AC${'0'.repeat(32)}`, auth_token: 'token' };

describe('heartbeat sender', () => {
  it('signs a status callback from the reserved address over the exact public URL, fresh MessageSid each time', () => {
    const url = 'https://hooks.example.com/sms';
    const first = buildHeartbeatRequest(url, CREDENTIALS);
    const second = buildHeartbeatRequest(url, CREDENTIALS);
    const params = [...new URLSearchParams(first.body)];
    expect(Object.fromEntries(params)).toMatchObject({
      From: HEARTBEAT.address,
      MessageStatus: 'delivered',
      AccountSid: CREDENTIALS.account_sid,
    });
    expect(first.headers['X-Twilio-Signature']).toBe(
      computeTwilioSignature(url, params, CREDENTIALS.auth_token),
    );
    expect(first.body).not.toBe(second.body);
  });

  it('names what the secret lacks, never its value', () => {
    expect(() => parseHeartbeatCredentials('{"account_sid":"AC1"}')).toThrow(/account_sid and auth_token/);
    expect(() => parseHeartbeatCredentials('secret-token')).toThrow('heartbeat secret is not JSON');
    expect(() => parseHeartbeatCredentials('secret-token')).not.toThrow(/secret-token/);
  });

  it('needs the URL; the secret name defaults to the reserved one', () => {
    expect(() => loadHeartbeatConfig({})).toThrow(ConfigError);
    expect(loadHeartbeatConfig({ [ENV.heartbeatUrl]: 'https://hooks.example.com/sms' })).toEqual({
      url: 'https://hooks.example.com/sms',
      secretName: HEARTBEAT.secretName,
    });
  });
});
