import type { ChannelType } from '../resources.js';
import type { ChannelProtocol } from './channels/channel-protocol.js';
import { mailgunProtocol } from './channels/mailgun-protocol.js';
import { twilioProtocol } from './channels/twilio-protocol.js';

const PROTOCOLS: Record<ChannelType, ChannelProtocol<unknown>> = {
  whatsapp: twilioProtocol('whatsapp') as ChannelProtocol<unknown>,
  sms: twilioProtocol('sms') as ChannelProtocol<unknown>,
  email: mailgunProtocol() as ChannelProtocol<unknown>,
};

/** Route → the one place that knows that provider's format. */
export function protocolFor(channel: ChannelType): ChannelProtocol<unknown> {
  return PROTOCOLS[channel];
}
