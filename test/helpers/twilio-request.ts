import { randomBytes } from 'node:crypto';
import twilio from 'twilio';

/** twilio-node as the oracle: tests sign exactly as Twilio's own library computes it. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export function messageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

export interface TwilioWebhookInput {
  readonly url: string;
  readonly authToken: string;
  readonly params: Record<string, string>;
  /** Overrides the computed signature (forgery tests); `null` omits the header. */
  readonly signature?: string | null;
}

export function inboundParams(
  overrides: Partial<Record<string, string>> & { From: string; To: string; AccountSid: string },
) {
  const params: Record<string, string> = {
    MessageSid: messageSid(),
    SmsMessageSid: '',
    Body: 'Hello there',
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
    ...overrides,
  } as Record<string, string>;
  params.SmsMessageSid = params.MessageSid ?? '';
  params.SmsSid = params.MessageSid ?? '';
  return params;
}

/** POSTs a form-encoded webhook the way Twilio does, signed over the URL and every parameter. */
export async function postTwilioWebhook(
  input: TwilioWebhookInput,
): Promise<{ status: number; body: string; headers: Headers }> {
  const signature =
    input.signature === undefined
      ? twilioSignature(input.authToken, input.url, input.params)
      : input.signature;
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (signature !== null) headers['X-Twilio-Signature'] = signature;
  const response = await fetch(input.url, {
    method: 'POST',
    headers,
    body: new URLSearchParams(input.params).toString(),
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}
