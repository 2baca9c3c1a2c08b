import type { OutboundMessage, OutboundSender, SecretValue } from '../../app/ports.js';
import type { PermanentReason } from '../../domain/errors.js';
import { dependencyCall } from '../dependency-call.js';
import { OutboundSendError } from './http-outbound-sender.js';

/**
 * Sends each message through its registry entry's provider: `provider: 'ses'` email through SESv2, everything else
 * (Twilio, Mailgun) through the HTTP sender. Without an SES sender wired, SES messages fail like any other send.
 * Failures come out as the adapters' DependencyError (`dependencyCall`): a provider's 4xx is permanent.
 */
export class ProviderOutboundSender implements OutboundSender {
  constructor(
    private readonly http: OutboundSender,
    private readonly ses: OutboundSender | undefined,
  ) {}

  send(message: OutboundMessage, credentials: SecretValue): Promise<void> {
    return dependencyCall('outbound', () => this.route(message, credentials), outboundFailure);
  }

  private route(message: OutboundMessage, credentials: SecretValue): Promise<void> {
    if (message.channel === 'email' && message.provider === 'ses') {
      if (!this.ses) return Promise.reject(new Error('SES sender not configured'));
      return this.ses.send(message, credentials);
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
