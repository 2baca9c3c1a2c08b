import type { OutboundMessage, OutboundSender, SecretValue } from '../../app/ports.js';
import type { PermanentReason } from '../../domain/errors.js';
import { dependencyCall } from '../dependency-call.js';
import { OutboundSendError } from './http-outbound-sender.js';

/**
 * Sends each message through its registry entry's provider: `provider: 'ses'` email through SESv2, `provider:
 * 'meta'` WhatsApp through the Graph API, everything else (Twilio, Mailgun) through the HTTP sender. Without the
 * provider's sender wired, its messages fail like any other send.
 * Failures come out as the adapters' DependencyError (`dependencyCall`): a provider's 4xx is permanent.
 */
export class ProviderOutboundSender implements OutboundSender {
  constructor(
    private readonly http: OutboundSender,
    /** Loaded at the first SES message (the SESv2 client is not part of a cold start). */
    private readonly ses: (() => Promise<OutboundSender>) | undefined,
    private readonly meta?: OutboundSender,
  ) {}

  send(message: OutboundMessage, credentials: SecretValue): Promise<void> {
    return dependencyCall('outbound', () => this.route(message, credentials), outboundFailure);
  }

  private route(message: OutboundMessage, credentials: SecretValue): Promise<void> {
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

/** A provider refusing the message itself (a 4xx other than 429) will refuse it again: permanent. */
function outboundFailure(error: unknown): PermanentReason | undefined {
  const status = error instanceof OutboundSendError ? error.status : undefined;
  return status !== undefined && status >= 400 && status < 500 && status !== 429
    ? 'unprocessable'
    : undefined;
}
