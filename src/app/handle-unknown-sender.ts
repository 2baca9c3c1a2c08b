import { maskAddress } from '../domain/mask.js';
import type { InboundMessage, RegistryEntry } from '../domain/types.js';
import { OBSERVABILITY } from '../resources.js';
import type { Dependencies, SecretValue } from './ports.js';

/** Seed §4.1: a verified message with no live conversation. The fallback reply itself arrives with issue #4. */
export async function handleUnknownSender(
  message: InboundMessage,
  _registry: RegistryEntry,
  _secret: SecretValue,
  _sendFallback: boolean,
  deps: Dependencies,
): Promise<void> {
  deps.metrics.count(OBSERVABILITY.metrics.unknownSender);
  deps.logger.info('unknown sender', {
    channel: message.channel,
    sender: maskAddress(message.from),
    company_channel: maskAddress(message.to),
    message_id: message.messageId,
  });
}
