import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { DEMO } from '../../src/local/demo-data.js';

/** `SM` + 32 hex: a fresh id per request, or the gateway would measure its duplicate path. */
export function messageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

export interface InboundInput {
  /** E.164 sender without the `whatsapp:` prefix. */
  readonly sender: string;
  readonly companyNumber?: string;
  readonly accountSid?: string;
  readonly body?: string;
  readonly sid?: string;
}

/**
 * The 15 form parameters Twilio posts for an inbound WhatsApp text message, in Twilio's order: this is what the
 * signature, the parser and the validator really see.
 */
export function whatsappParams(input: InboundInput): Record<string, string> {
  const sid = input.sid ?? messageSid();
  return {
    SmsMessageSid: sid,
    NumMedia: '0',
    ProfileName: 'Jane Candidate',
    MessageType: 'text',
    SmsSid: sid,
    WaId: input.sender.slice(1),
    SmsStatus: 'received',
    Body: input.body ?? 'Hi! Is the senior data analyst role still open, and could it be done remotely?',
    To: input.companyNumber ?? DEMO.whatsappNumber,
    NumSegments: '1',
    ReferralNumMedia: '0',
    MessageSid: sid,
    AccountSid: input.accountSid ?? DEMO.accountSid,
    From: `whatsapp:${input.sender}`,
    ApiVersion: '2010-04-01',
  };
}

export function formBody(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** twilio-node is the signing oracle: requests are signed exactly as Twilio's own library computes it. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export interface SignedWebhook {
  readonly params: Record<string, string>;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** A signed `application/x-www-form-urlencoded` POST as Twilio sends it to `url`. */
export function signedWebhook(
  url: string,
  input: InboundInput,
  authToken: string = DEMO.authToken,
): SignedWebhook {
  const params = whatsappParams(input);
  return {
    params,
    body: formBody(params),
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': twilioSignature(authToken, url, params),
      'User-Agent': 'TwilioProxy/1.1',
    },
  };
}

/** Bench senders: distinct E.164 numbers outside the demo data, one seeded conversation each. */
export function benchSender(index: number): string {
  return `+4477110${String(index).padStart(5, '0')}`;
}
