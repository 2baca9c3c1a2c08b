import { assessSender, type SenderTrust } from '../domain/sender-verdict.js';
import type { InboundMessage, RegistryEntry } from '../domain/types.js';
import type { Logger } from './ports.js';

/** The sender verdict applied with the registry entry's policy; every doubt is logged (no addresses). */
export function senderTrust(message: InboundMessage, registry: RegistryEntry, logger: Logger): SenderTrust {
  const trust = assessSender(message.senderVerdict, {
    allowAbsentVerdicts: registry.allow_absent_sender_verdicts === true,
  });
  const log = { channel: message.channel, message_id: message.messageId };
  if (!trust.trusted) {
    logger.warn('sender not authenticated by the provider; handed to a human, no automatic reply', {
      ...log,
      reason: trust.reason,
    });
  } else if (trust.unknown) {
    logger.info('no sender verdicts; allowed by the registry entry (allow_absent_sender_verdicts)', log);
  }
  return trust;
}
