import type { FormParams } from '../../src/domain/twilio-signature.js';
import { DEMO } from '../../src/kit/demo-data.js';
import type { SignedRequest } from '../../src/kit/signed-request.js';
import { signTwilioRequest, twilioMessageParams } from '../../src/kit/twilio-webhook.js';

export interface InboundInput {
  /** E.164 sender without the `whatsapp:` prefix. */
  readonly sender: string;
  readonly companyNumber?: string;
  readonly accountSid?: string;
  readonly body?: string;
  readonly sid?: string;
}

/**
 * The form parameters Twilio posts for an inbound WhatsApp text message, in Twilio's order (the CLI's builder, what
 * `replies-webhooks send` posts): this is what the signature, the parser and the validator really see.
 */
function whatsappParams(input: InboundInput): FormParams {
  return twilioMessageParams({
    channel: 'whatsapp',
    from: input.sender,
    to: input.companyNumber ?? DEMO.whatsappNumber,
    body: input.body ?? 'Hi! Is the senior data analyst role still open, and could it be done remotely?',
    accountSid: input.accountSid ?? DEMO.accountSid,
    profileName: 'Jane Candidate',
    ...(input.sid ? { messageSid: input.sid } : {}),
  });
}

/** A signed `application/x-www-form-urlencoded` POST as Twilio sends it to `url` (fresh MessageSid each time). */
export function signedWebhook(
  url: string,
  input: InboundInput,
  authToken: string = DEMO.authToken,
): SignedRequest {
  return signTwilioRequest(url, whatsappParams(input), authToken);
}

/** Bench senders: distinct E.164 numbers outside the demo data, one seeded conversation each. */
export function benchSender(index: number): string {
  return `+4477110${String(index).padStart(5, '0')}`;
}
