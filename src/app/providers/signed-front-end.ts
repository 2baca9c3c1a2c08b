import type { ChannelProtocol } from '../channels/channel-protocol.js';
import { verifyWebhook } from '../verify-webhook.js';
import type { ProviderFrontEnd } from './front-end.js';

/**
 * The front end of a provider that signs one message per POST with a per-tenant secret (Twilio, Mailgun): the
 * generic bound → parse → registry → signature → replay guard → normalise of `verify-webhook.ts`, driven by the
 * provider's `ChannelProtocol`.
 */
export function signedFrontEnd<P>(protocol: ChannelProtocol<P>): ProviderFrontEnd {
  return {
    provider: protocol.provider,
    async authenticate(request, deps) {
      return { kind: 'messages', messages: [await verifyWebhook(request, protocol, deps)] };
    },
  };
}
