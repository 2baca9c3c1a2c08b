import type { OutboundMessage, OutboundSender, SecretValue } from '../../app/ports.js';

/**
 * Sends each message through its registry entry's provider: `provider: 'ses'` email through SESv2, everything else
 * (Twilio, Mailgun) through the HTTP sender. Without an SES sender wired, SES messages fail like any other send.
 */
export class ProviderOutboundSender implements OutboundSender {
  constructor(
    private readonly http: OutboundSender,
    private readonly ses: OutboundSender | undefined,
  ) {}

  send(message: OutboundMessage, credentials: SecretValue): Promise<void> {
    if (message.channel === 'email' && message.provider === 'ses') {
      if (!this.ses) return Promise.reject(new Error('SES sender not configured'));
      return this.ses.send(message, credentials);
    }
    return this.http.send(message, credentials);
  }
}
