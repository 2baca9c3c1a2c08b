import type { OutboundMessage, OutboundSender, SecretValue } from '../../app/ports.js';

/**
 * Sends each message through its registry entry's provider: `provider: 'ses'` email through SESv2, `provider:
 * 'meta'` WhatsApp through the Graph API, everything else (Twilio, Mailgun) through the HTTP sender. Without the
 * provider's sender wired, its messages fail like any other send.
 */
export class ProviderOutboundSender implements OutboundSender {
  constructor(
    private readonly http: OutboundSender,
    /** Loaded at the first SES message (the SESv2 client is not part of a cold start). */
    private readonly ses: (() => Promise<OutboundSender>) | undefined,
    private readonly meta?: OutboundSender,
  ) {}

  send(message: OutboundMessage, credentials: SecretValue): Promise<void> {
    if (message.channel === 'whatsapp' && message.provider === 'meta') {
      if (!this.meta) return Promise.reject(new Error('Meta sender not configured'));
      return this.meta.send(message, credentials);
    }
    if (message.channel === 'email' && message.provider === 'ses') {
      if (!this.ses) return Promise.reject(new Error('SES sender not configured'));
      return this.ses().then((ses) => ses.send(message, credentials));
    }
    return this.http.send(message, credentials);
  }
}
