import { buildContextObject } from '../domain/context-object.js';
import { decideRoute } from '../domain/decide-route.js';
import {
  DependencyError,
  ForbiddenError,
  InProgressError,
  PayloadTooLargeError,
  WebhookError,
} from '../domain/errors.js';
import { receiptAttribute, receiptStateAcross, staleReceipts } from '../domain/receipts.js';
import { belongsTo, selectConversation } from '../domain/select-conversation.js';
import type { AttachmentItem, ConversationRecord, InboundMessage, RegistryEntry } from '../domain/types.js';
import { OBSERVABILITY, REPLIES_QUEUE_BY_CHANNEL, WEBHOOK_FUNCTION } from '../resources.js';
import type { ChannelProtocol } from './channels/channel-protocol.js';
import { handleUnknownSender, rememberOptOut } from './handle-unknown-sender.js';
import type { Dependencies, SecretValue } from './ports.js';
import { outsideDeadline } from './request-deadline.js';
import { senderTrust } from './sender-trust.js';
import type { WebhookRequest, WebhookResponse } from './webhook-request.js';

const M = OBSERVABILITY.metrics;
/** Longer than the Lambda timeout, so an expired claim always belongs to an attempt that has died. */
export const IN_PROGRESS_MS = (WEBHOOK_FUNCTION.timeoutSeconds + 2) * 1000;

/** Steps 1–9 of architecture.md. Throws WebhookError subclasses; the HTTP layer maps them. */
export async function processWebhook<P>(
  request: WebhookRequest,
  protocol: ChannelProtocol<P>,
  deps: Dependencies,
): Promise<WebhookResponse> {
  if (request.body.length > protocol.maxBodyBytes) {
    throw new PayloadTooLargeError(`Body larger than ${protocol.maxBodyBytes} bytes`);
  }
  const parsed = await protocol.parse(request);
  const registry = await deps.registry.find(protocol.registryAddress(parsed));
  if (!registry || registry.channel_type !== protocol.channel) throw new ForbiddenError('unknown-recipient');
  const secret = await verifiedSecret(parsed, protocol, request, registry, deps);
  const afterVerify = protocol.afterVerify?.bind(protocol);
  if (afterVerify) await dependency('replay-guard', () => afterVerify(parsed, deps, deps.clock.now()));
  // Only verified webhooks count towards the monthly quota (issue 15): junk can never use it up.
  await deps.quota?.admit();
  const message = protocol.normalise(parsed, secret);
  return routeVerifiedMessage(request, message, registry, secret, deps, {
    acknowledge: () => protocol.acknowledge(),
  });
}

/** Where a message's attachments go once its conversation is known (keys need the company and conversation). */
export interface AttachmentTarget {
  readonly companyId: string;
  readonly conversationId: string;
  readonly messageId: string;
}

export interface RouteOptions {
  readonly acknowledge: () => WebhookResponse;
  /**
   * Stores the message's attachments after the claim and before queueing; what it returns replaces
   * `message.email.attachments` in the context. Any failure releases the claim and surfaces (5xx: the provider
   * retries; keys are deterministic, so a retry overwrites the same objects).
   */
  readonly storeAttachments?: (target: AttachmentTarget) => Promise<readonly AttachmentItem[]>;
}

/**
 * Steps 5–9 for a verified, normalised message, whatever the provider: conversation, sender trust and route,
 * fallback for unknown senders, claim (exactly once), attachments, queue. Mailgun/Twilio (`processWebhook`) and
 * the SES branch of `/email` (`processSnsEmail`) both end here.
 */
export async function routeVerifiedMessage(
  request: WebhookRequest,
  message: InboundMessage,
  registry: RegistryEntry,
  secret: SecretValue,
  deps: Dependencies,
  options: RouteOptions,
): Promise<WebhookResponse> {
  const validatedAt = deps.clock.now();

  if (message.kind === 'status') {
    deps.metrics.count(M.statusCallback);
    deps.observe?.(request.requestId, { verdict: 'status-callback' });
    deps.logger.info('status callback acknowledged', {
      channel: message.channel,
      message_id: message.messageId,
      message_status: message.status?.message_status,
    });
    return options.acknowledge();
  }

  const records = await dependency('conversations', () => deps.conversations.findBySender(message.from));
  const recipient = { companyChannel: message.to, companyId: registry.company_id };
  const conversation = selectConversation(records, recipient, message.email?.addressed_conversation_id);
  const decision = decideRoute(message, conversation, senderTrust(message, registry, deps));
  if (decision.type === 'unknown-sender' || !conversation) {
    // A sender who opted out on this channel (even in a closed conversation) never gets an automatic reply.
    const optedOut = records.some((r) => r.opted_out && r.company_channel === message.to);
    const send = decision.type === 'unknown-sender' && decision.sendFallback && !optedOut;
    const optedOutNow = decision.type === 'unknown-sender' ? decision.optedOut : undefined;
    if (optedOutNow !== undefined) await rememberOptOut(message, optedOutNow, deps);
    const fallback = await handleUnknownSender(message, registry, secret, send, deps);
    deps.observe?.(request.requestId, { verdict: 'unknown-sender', fallback });
    return options.acknowledge();
  }
  if (decision.type !== 'enqueue') return options.acknowledge();

  const related = records.filter((r) => belongsTo(r, recipient));
  await enqueueOnce(
    request,
    message,
    { conversation, related, registry, decision, validatedAt },
    deps,
    options.storeAttachments,
  );
  deps.metrics.milliseconds(M.processingTime, deps.clock.now().getTime() - request.receivedAt.getTime());
  return options.acknowledge();
}

async function verifiedSecret<P>(
  parsed: P,
  protocol: ChannelProtocol<P>,
  request: WebhookRequest,
  registry: RegistryEntry,
  deps: Dependencies,
): Promise<SecretValue> {
  const cached = await deps.secrets.get(registry.credentials_reference);
  if (protocol.verify(parsed, request, cached, deps.clock.now())) return cached;
  // The token may have been rotated since we cached it: one rate-limited re-fetch, then give up.
  const fresh = await deps.secrets.refresh(registry.credentials_reference);
  if (fresh && protocol.verify(parsed, request, fresh, deps.clock.now())) return fresh;
  throw new ForbiddenError('signature');
}

interface EnqueueTarget {
  readonly conversation: ConversationRecord;
  /** All of the sender's conversations with this company: receipts are checked on every one of them. */
  readonly related: readonly ConversationRecord[];
  readonly registry: RegistryEntry;
  readonly decision: Extract<ReturnType<typeof decideRoute>, { type: 'enqueue' }>;
  readonly validatedAt: Date;
}

async function enqueueOnce(
  request: WebhookRequest,
  inbound: InboundMessage,
  target: EnqueueTarget,
  deps: Dependencies,
  storeAttachments: RouteOptions['storeAttachments'],
): Promise<void> {
  const { conversation, related, registry, decision, validatedAt } = target;
  let message = inbound;
  const nowMs = deps.clock.now().getTime();
  const attribute = receiptAttribute(message.messageId);
  const state = receiptStateAcross(related, attribute, nowMs);
  const log = {
    channel: message.channel,
    message_id: message.messageId,
    conversation_id: conversation.conversation_id,
  };
  if (state === 'done') return duplicate(deps, log, request.requestId);
  if (state === 'in-progress') throw new InProgressError();

  const key = {
    primary_channel: conversation.primary_channel,
    conversation_id: conversation.conversation_id,
  };
  // A fraction makes this attempt's claim value unique, so a release can never remove another attempt's claim.
  const claimValue = nowMs + IN_PROGRESS_MS + Math.random();
  const release = () =>
    outsideDeadline(() => deps.conversations.releaseMessage(key, attribute, claimValue)).catch(
      (releaseError: unknown) => {
        deps.logger.warn('claim release failed; it expires on its own', {
          ...log,
          error: String(releaseError),
        });
      },
    );
  const claim = await dependency('conversations', () =>
    deps.conversations.claimMessage(key, {
      receiptAttribute: attribute,
      inProgressUntilMs: claimValue,
      nowMs,
      staleReceipts: staleReceipts(conversation.receipts, nowMs, attribute),
      summary: {
        message_id: message.messageId,
        received_at: request.receivedAt.toISOString(),
        channel_type: message.channel,
      },
      ...(decision.optedOut !== undefined ? { optedOut: decision.optedOut } : {}),
    }),
  ).catch(async (error: unknown) => {
    // The write may have landed even though the call failed (timeout, lost answer): without this release the
    // provider's quick retries would all meet an in-progress claim until it expires, and could give up.
    await release();
    throw error;
  });
  if (claim.outcome === 'duplicate') return duplicate(deps, log, request.requestId);
  if (claim.outcome === 'in-progress') throw new InProgressError();
  if (claim.outcome === 'gone') throw new DependencyError('conversations');

  const queueKey = decision.target === 'ai' ? REPLIES_QUEUE_BY_CHANNEL[message.channel] : 'handoff';
  try {
    if (storeAttachments && message.email) {
      const attachments = await storeAttachments({
        companyId: conversation.company_id ?? registry.company_id,
        conversationId: conversation.conversation_id,
        messageId: message.messageId,
      });
      message = { ...message, email: { ...message.email, attachments } };
    }
    const context = buildContextObject({
      requestId: request.requestId,
      message,
      conversation,
      registry,
      sequenceNumber: claim.sequenceNumber,
      route: decision.target,
      ...(decision.reason ? { handoffReason: decision.reason } : {}),
      ...(decision.optedOut !== undefined ? { optedOut: decision.optedOut } : {}),
      receivedAt: request.receivedAt,
      validatedAt,
      queuedAt: deps.clock.now(),
    });
    await deps.queue.send(queueKey, JSON.stringify(context), {
      message_id: message.messageId,
      dedupe_key: context.meta.dedupe_key,
    });
    deps.observe?.(request.requestId, {
      verdict: 'queued',
      queue: queueKey,
      route: decision.target,
      ...(decision.reason ? { reason: decision.reason } : {}),
      context,
    });
  } catch (error) {
    await release();
    throw error instanceof WebhookError ? error : new DependencyError('queue', { cause: error });
  }
  if (decision.optedOut === true) deps.metrics.count(M.optOut);
  deps.logger.info('message queued', {
    ...log,
    queue: queueKey,
    route: decision.target,
    reason: decision.reason,
  });
  // The message is durably queued: a failure to mark the receipt only widens the duplicate window, so it is
  // logged rather than turned into a 5xx that would make the provider send it again.
  await outsideDeadline(() =>
    deps.conversations.completeMessage(key, attribute, deps.clock.now().getTime()),
  ).catch((error: unknown) => {
    deps.logger.warn('receipt completion failed; a retry may enqueue a duplicate', {
      ...log,
      error: String(error),
    });
  });
}

function duplicate(deps: Dependencies, log: Record<string, string>, requestId: string): void {
  deps.metrics.count(M.duplicate);
  deps.observe?.(requestId, { verdict: 'duplicate' });
  deps.logger.info('duplicate delivery acknowledged', log);
}

async function dependency<T>(name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof WebhookError ? error : new DependencyError(name, { cause: error });
  }
}
