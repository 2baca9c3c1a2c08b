import { randomBytes } from 'node:crypto';
import { computeTwilioSignature, type FormParams } from '../domain/twilio-signature.js';
import { HEARTBEAT } from '../resources.js';

export interface HeartbeatCredentials {
  readonly account_sid: string;
  readonly auth_token: string;
}

export interface HeartbeatRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * One heartbeat: a Twilio status callback from the reserved heartbeat address, signed exactly as Twilio signs, with
 * the reserved entry's own auth token, over the public URL the providers use. A fresh MessageSid each time.
 */
export function buildHeartbeatRequest(url: string, credentials: HeartbeatCredentials): HeartbeatRequest {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params: FormParams = [
    ['MessageSid', sid],
    ['MessageStatus', 'delivered'],
    ['AccountSid', credentials.account_sid],
    ['From', HEARTBEAT.address],
    ['To', HEARTBEAT.recipient],
    ['ApiVersion', '2010-04-01'],
  ];
  return {
    url,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': computeTwilioSignature(url, params, credentials.auth_token),
      'User-Agent': 'replies-engine-heartbeat',
    },
    body: params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
  };
}

/** Parses the heartbeat secret (Twilio-shaped JSON); throws a message naming what is missing, never the value. */
export function parseHeartbeatCredentials(secretString: string | undefined): HeartbeatCredentials {
  let value: unknown;
  try {
    value = JSON.parse(secretString ?? '');
  } catch {
    throw new Error('heartbeat secret is not JSON');
  }
  const record = value as Partial<Record<keyof HeartbeatCredentials, unknown>>;
  if (typeof record.account_sid !== 'string' || typeof record.auth_token !== 'string') {
    throw new Error('heartbeat secret needs string account_sid and auth_token');
  }
  return { account_sid: record.account_sid, auth_token: record.auth_token };
}
