import { assessSender, type SenderTrust } from '../domain/sender-verdict.js';
import type { InboundMessage, RegistryEntry } from '../domain/types.js';
import { OBSERVABILITY } from '../resources.js';
import type { Dependencies } from './ports.js';

const M = OBSERVABILITY.metrics;

/** The sender verdict applied with the registry entry's policy; every doubt is counted and logged (no addresses). */
export function senderTrust(
  message: InboundMessage,
  registry: RegistryEntry,
  deps: Dependencies,
): SenderTrust {
  const trust = assessSender(message.senderVerdict, {
    allowAbsentVerdicts: registry.allow_absent_sender_verdicts === true,
  });
  const log = { channel: message.channel, message_id: message.messageId };
  if (!trust.trusted) {
    const metric = { spam: M.senderSpam, virus: M.senderVirus, sender_unverified: M.senderUnverified };
    deps.metrics.count(metric[trust.reason]);
    deps.logger.warn('sender not authenticated by the provider; handed to a human, no automatic reply', {
      ...log,
      reason: trust.reason,
    });
  } else if (trust.unknown) {
    deps.metrics.count(M.senderVerdictsAbsent);
    deps.logger.info('no sender verdicts; allowed by the registry entry (allow_absent_sender_verdicts)', log);
  }
  return trust;
}
