import type { ChannelType } from '../domain/channel.js';
import type { ChannelProtocol } from './channels/channel-protocol.js';
import { mailgunProtocol } from './channels/mailgun-protocol.js';
import { twilioProtocol } from './channels/twilio-protocol.js';
import type { WebhookRequest } from './webhook-request.js';

const PROTOCOLS: Record<ChannelType, ChannelProtocol<unknown>> = {
  whatsapp: twilioProtocol('whatsapp') as ChannelProtocol<unknown>,
  sms: twilioProtocol('sms') as ChannelProtocol<unknown>,
  email: mailgunProtocol() as ChannelProtocol<unknown>,
};

/**
 * The request → the one place that knows that provider's format. Chosen from the already resolved route; a route
 * served by two providers (e.g. `/email` from Mailgun or SNS) picks here from the request's headers.
 */
export function protocolFor(request: Pick<WebhookRequest, 'route' | 'headers'>): ChannelProtocol<unknown> {
  return PROTOCOLS[request.route.channel];
}
