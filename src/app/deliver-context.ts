import { queueAttribute, queueJson } from '../domain/context-bounds.js';
import { buildContextObject, type ContextObject } from '../domain/context-object.js';
import type { HandoffReason } from '../domain/decide-route.js';
import { type DependencyError, permanentReason } from '../domain/errors.js';
import type { ConversationRecord } from '../domain/types.js';
import { type QueueKey, REPLIES_QUEUE_BY_CHANNEL } from '../resources.js';
import type { Dependencies } from './ports.js';
import { storeFullBody } from './store-full-body.js';
import { storeMessageAttachments } from './store-message-attachments.js';
import type { VerifiedWebhook } from './verify-webhook.js';
import type { WebhookRequest } from './webhook-request.js';

export interface DeliveryPlan {
  readonly request: WebhookRequest;
  readonly verified: VerifiedWebhook;
  readonly conversation: ConversationRecord;
  readonly sequenceNumber: number;
  readonly target: 'ai' | 'handoff';
  readonly reason?: HandoffReason;
  readonly optedOut?: boolean;
}

export interface Delivery {
  readonly queue: QueueKey;
  readonly route: 'ai' | 'handoff';
  readonly reason?: HandoffReason;
  readonly context: ContextObject;
}

type DeliveryPorts = Pick<Dependencies, 'queue' | 'clock' | 'logger' | 'attachments' | 'mailgunStorage'>;

/**
 * Stores what the claimed message carries (attachments, a body too long for the queue), builds its bounded context
 * and queues it. When a dependency refuses the message for what it is (`permanentReason`: too large, unprocessable),
 * a retry could never succeed, so the message goes to HandoffQueue instead, with that reason and what could be kept
 * (the text; no attachments): a human reads it, and the provider gets its 200 rather than retrying for ever.
 * Transient failures are thrown (→ 503, the claim is released, the provider retries).
 */
export async function deliverContext(plan: DeliveryPlan, deps: DeliveryPorts): Promise<Delivery> {
  try {
    return await deliver(plan, deps, true);
  } catch (error) {
    const permanent = permanentReason(error);
    if (!permanent) throw error;
    deps.logger.warn('a dependency refused the message permanently; handed to a human', {
      channel: plan.verified.message.channel,
      message_id: plan.verified.message.messageId,
      dependency: (error as DependencyError).dependency,
      reason: permanent,
    });
    return deliver({ ...plan, target: 'handoff', reason: permanent }, deps, false);
  }
}

async function deliver(plan: DeliveryPlan, deps: DeliveryPorts, withStoredParts: boolean): Promise<Delivery> {
  const { request, verified, conversation, target, reason } = plan;
  const { message, registry } = verified;
  const owner = {
    companyId: conversation.company_id ?? registry.company_id,
    conversationId: conversation.conversation_id,
    messageId: message.messageId,
  };
  // Stored Mailgun messages are fetched from the tenant's own regional API (US unless the entry says EU).
  const source =
    verified.attachments.kind === 'mailgun-stored' && registry.mailgun_api_host
      ? { ...verified.attachments, apiHost: registry.mailgun_api_host }
      : verified.attachments;
  const attachments = withStoredParts ? await storeMessageAttachments(deps, source, owner) : [];
  const fullBody = withStoredParts ? await storeFullBody(deps.attachments, message.body, owner) : undefined;
  const queue = target === 'ai' ? REPLIES_QUEUE_BY_CHANNEL[message.channel] : 'handoff';
  const rawEmail = verified.unprocessed?.rawEmail;
  const context = buildContextObject({
    requestId: request.requestId,
    message,
    conversation,
    registry,
    sequenceNumber: plan.sequenceNumber,
    attachments,
    ...(fullBody ? { fullBody } : {}),
    ...(rawEmail ? { rawEmail } : {}),
    route: target,
    ...(reason ? { handoffReason: reason } : {}),
    ...(plan.optedOut !== undefined ? { optedOut: plan.optedOut } : {}),
    receivedAt: request.receivedAt,
    validatedAt: verified.validatedAt,
    queuedAt: deps.clock.now(),
  });
  await deps.queue.send(queue, queueJson(context), {
    message_id: queueAttribute(message.messageId),
    dedupe_key: queueAttribute(context.meta.dedupe_key),
  });
  return { queue, route: target, ...(reason ? { reason } : {}), context };
}
