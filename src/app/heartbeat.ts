import { HEARTBEAT } from '../resources.js';
import type { Outcome } from './outcome.js';
import type { Dependencies } from './ports.js';
import type { VerifiedWebhook } from './verify-webhook.js';

/**
 * The stage's heartbeat, recognised only AFTER verification: a status callback whose registry entry is the reserved
 * heartbeat address, so it is exactly as unforgeable as any webhook (it needs that entry's secret). Recognised, it
 * is counted and acknowledged; nothing is read, written or queued.
 */
export function heartbeatOutcome(
  verified: VerifiedWebhook,
  deps: Pick<Dependencies, 'logger'>,
): Outcome | undefined {
  if (verified.message.kind !== 'status' || verified.registry.channel_address !== HEARTBEAT.address) {
    return undefined;
  }
  deps.logger.info('heartbeat acknowledged', { channel: verified.message.channel });
  return { kind: 'heartbeat' };
}
