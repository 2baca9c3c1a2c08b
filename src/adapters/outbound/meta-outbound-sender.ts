import type { GraphApi, OutboundMessage, OutboundSender, SecretValue } from '../../app/ports.js';
import { OutboundSendError } from './http-outbound-sender.js';

/**
 * Fallback replies through Meta's Cloud API: the registry entry's address `meta:<phone_number_id>` is the sender,
 * the recipient's E.164 number without `+` its wa_id, the tenant secret's `access_token` the bearer token. The
 * unknown sender has just written, so the customer-service window is open and a free-form text is allowed.
 */
export class MetaOutboundSender implements OutboundSender {
  constructor(private readonly graph: GraphApi) {}

  async send(message: OutboundMessage, credentials: SecretValue): Promise<void> {
    const token = credentials.access_token;
    if (typeof token !== 'string' || token === '')
      throw new OutboundSendError('Credentials lack access_token');
    if (!message.from.startsWith('meta:')) throw new OutboundSendError('Not a Meta channel address');
    await this.graph.sendText(
      {
        phoneNumberId: message.from.slice('meta:'.length),
        to: message.to.replace(/^\+/, ''),
        body: message.body,
      },
      token,
    );
  }
}
