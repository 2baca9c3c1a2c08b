import { buildFallbackMessage, fallbackLedgerKey } from '../domain/fallback-message.js';
import { maskAddress } from '../domain/mask.js';
import type { InboundMessage, RegistryEntry } from '../domain/types.js';
import type { FallbackResult } from './outcome.js';
import type { Dependencies, SecretValue } from './ports.js';

type FallbackPorts = Pick<Dependencies, 'ledger' | 'outbound' | 'clock' | 'logger' | 'deadline'>;
/** Seed §4.1: at most one fallback per sender (per company channel) per 24 hours. */
export const FALLBACK_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * STOP/START from a sender with no conversation. WhatsApp does not block opted-out numbers for us, so the opt-out
 * is kept on the fallback slot's key and no fallback ever reaches that sender; a failure is a 5xx so the provider
 * retries (the ledger adapter throws DependencyError) rather than the opt-out being forgotten.
 */
export async function rememberOptOut(
  message: InboundMessage,
  optedOut: boolean,
  deps: Pick<FallbackPorts, 'ledger' | 'clock' | 'logger'>,
): Promise<void> {
  await deps.ledger.setOptOut(fallbackLedgerKey(message), optedOut, deps.clock.now().getTime());
  deps.logger.info(optedOut ? 'opt-out remembered (no conversation)' : 'opt-out cleared (no conversation)', {
    channel: message.channel,
    sender: maskAddress(message.from),
    message_id: message.messageId,
  });
}

/**
 * A verified message with no live conversation. Claim the 24 h slot first (conditional put), then send; if the
 * send fails, release the slot so a later message can try again. The webhook is acknowledged whatever happens here:
 * the fallback is a courtesy, and a 5xx would only make the provider redeliver a message nobody will read.
 */
export async function handleUnknownSender(
  message: InboundMessage,
  registry: RegistryEntry,
  secret: SecretValue,
  sendFallback: boolean,
  deps: FallbackPorts,
): Promise<FallbackResult> {
  const log = {
    channel: message.channel,
    sender: maskAddress(message.from),
    company_channel: maskAddress(message.to),
    message_id: message.messageId,
  };
  if (!sendFallback) {
    deps.logger.info('unknown sender; no fallback (opt-out keyword, opted-out or unverified sender)', log);
    return 'suppressed';
  }
  const key = fallbackLedgerKey(message);
  let claimed: boolean;
  try {
    claimed = await deps.ledger.claim(key, deps.clock.now().getTime(), FALLBACK_WINDOW_SECONDS);
  } catch (error) {
    deps.logger.warn('unknown sender; fallback ledger unavailable, no reply sent', {
      ...log,
      error: String(error),
    });
    return 'failed';
  }
  if (!claimed) {
    deps.logger.info('unknown sender; fallback already sent within 24 h, or the sender opted out', log);
    return 'already-sent';
  }
  try {
    await deps.outbound.send(buildFallbackMessage(message, registry), secret);
  } catch (error) {
    await deps.deadline
      .outside(() => deps.ledger.release(key))
      .catch((releaseError: unknown) => {
        deps.logger.warn('fallback ledger release failed; slot expires in 24 h', {
          ...log,
          error: String(releaseError),
        });
      });
    deps.logger.warn('unknown sender; fallback send failed, slot released', {
      ...log,
      error: error instanceof Error ? error.message : 'unknown',
    });
    return 'failed';
  }
  deps.logger.info('unknown sender; fallback sent', log);
  return 'sent';
}
