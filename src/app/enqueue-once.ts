import { afterClaim } from '../domain/decide-route.js';
import { DependencyError, InProgressError } from '../domain/errors.js';
import { staleReceipts } from '../domain/receipts.js';
import type { Routing } from '../domain/route-webhook.js';
import { WEBHOOK_FUNCTION } from '../resources.js';
import { type Delivery, deliverContext } from './deliver-context.js';
import type { Outcome } from './outcome.js';
import type { Dependencies } from './ports.js';
import type { VerifiedWebhook } from './verify-webhook.js';
import type { WebhookRequest } from './webhook-request.js';

/** Longer than the Lambda timeout, so an expired claim always belongs to an attempt that has died. */
export const IN_PROGRESS_MS = (WEBHOOK_FUNCTION.timeoutSeconds + 2) * 1000;

export type EnqueueRouting = Extract<Routing, { type: 'enqueue' }>;

/** The queued Outcome but for the sender's trust, which the caller adds; or a duplicate found by the claim. */
export type EnqueueResult =
  | Omit<Extract<Outcome, { kind: 'queued' }>, 'sender'>
  | { readonly kind: 'duplicate' };

type EnqueuePorts = Pick<
  Dependencies,
  | 'conversations'
  | 'queue'
  | 'clock'
  | 'logger'
  | 'deadline'
  | 'attachments'
  | 'mailgunStorage'
  | 'quota'
  | 'graphApi'
  | 'twilioMedia'
>;

/**
 * Steps 6–9 of architecture.md: claim the message id on the conversation (conditional write), queue the context,
 * mark the receipt done. Any failure after the claim releases it, so the provider's retry is processed again.
 * A step that must finish before the message is queued (storing attachments) goes between claim and queue, inside
 * the `try`: its failure then releases the claim like a queue failure does.
 */
export async function enqueueOnce(
  request: WebhookRequest,
  verified: VerifiedWebhook,
  routing: EnqueueRouting,
  deps: EnqueuePorts,
): Promise<EnqueueResult> {
  const { message } = verified;
  const { conversation, receiptAttribute: attribute } = routing;
  const nowMs = deps.clock.now().getTime();
  const log = {
    channel: message.channel,
    message_id: message.messageId,
    conversation_id: conversation.conversation_id,
  };
  const key = {
    primary_channel: conversation.primary_channel,
    conversation_id: conversation.conversation_id,
  };
  // A fraction makes this attempt's claim value unique, so a release can never remove another attempt's claim.
  const claimValue = nowMs + IN_PROGRESS_MS + Math.random();
  const release = () =>
    deps.deadline
      .outside(() => deps.conversations.releaseMessage(key, attribute, claimValue))
      .catch((releaseError: unknown) => {
        deps.logger.warn('claim release failed; it expires on its own', {
          ...log,
          error: String(releaseError),
        });
      });
  const claim = await deps.conversations
    .claimMessage(key, {
      receiptAttribute: attribute,
      inProgressUntilMs: claimValue,
      nowMs,
      staleReceipts: staleReceipts(conversation.receipts, nowMs, attribute),
      summary: {
        message_id: message.messageId,
        received_at: request.receivedAt.toISOString(),
        channel_type: message.channel,
      },
      ...(routing.optedOut !== undefined ? { optedOut: routing.optedOut } : {}),
    })
    .catch(async (error: unknown) => {
      // The write may have landed even though the call failed (timeout, lost answer): without this release the
      // provider's quick retries would all meet an in-progress claim until it expires, and could give up.
      await release();
      throw error;
    });
  if (claim.outcome === 'duplicate') return { kind: 'duplicate' };
  if (claim.outcome === 'in-progress') throw new InProgressError();
  if (claim.outcome === 'gone') throw new DependencyError('conversations');

  // The AI's monthly budget counts first deliveries to the AI only: it is read here, after the claim.
  const route = afterClaim(routing, {
    unprocessed: verified.unprocessed?.reason,
    aiBudgetLeft: routing.target !== 'ai' || deps.quota?.allows(deps.clock.now()) !== false,
  });
  let delivery: Delivery;
  try {
    delivery = await deliverContext(
      {
        request,
        verified,
        conversation,
        sequenceNumber: claim.sequenceNumber,
        target: route.target,
        ...(route.reason ? { reason: route.reason } : {}),
        ...(route.optedOut !== undefined ? { optedOut: route.optedOut } : {}),
      },
      deps,
    );
  } catch (error) {
    await release();
    throw error;
  }
  const { queue, route: target, reason: handoffReason, context } = delivery;
  deps.logger.info('message queued', { ...log, queue, route: target, reason: handoffReason });
  const budget = target === 'ai' ? await deps.quota?.spend(deps.clock.now()) : undefined;
  // The message is durably queued: a failure to mark the receipt only widens the duplicate window, so it is
  // logged rather than turned into a 5xx that would make the provider send it again.
  await deps.deadline
    .outside(() => deps.conversations.completeMessage(key, attribute, deps.clock.now().getTime()))
    .catch((error: unknown) => {
      deps.logger.warn('receipt completion failed; a retry may enqueue a duplicate', {
        ...log,
        error: String(error),
      });
    });
  const reason = handoffReason ? { reason: handoffReason } : {};
  const optOut = routing.optedOut !== undefined ? { optedOut: routing.optedOut } : {};
  return {
    kind: 'queued',
    queue,
    route: target,
    ...reason,
    ...optOut,
    ...(budget ? { budget } : {}),
    context,
  };
}
