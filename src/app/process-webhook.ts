import { InProgressError } from '../domain/errors.js';
import { conversationIdToLookUp, readsConversations, routeWebhook } from '../domain/route-webhook.js';
import type { SenderTrust } from '../domain/sender-verdict.js';
import type { ChannelProtocol } from './channels/channel-protocol.js';
import { enqueueOnce } from './enqueue-once.js';
import { handleUnknownSender, rememberOptOut } from './handle-unknown-sender.js';
import { heartbeatOutcome } from './heartbeat.js';
import type { Outcome } from './outcome.js';
import type { Dependencies } from './ports.js';
import { senderTrust } from './sender-trust.js';
import { type VerifiedWebhook, verifyWebhook } from './verify-webhook.js';
import type { WebhookRequest } from './webhook-request.js';

export { IN_PROGRESS_MS } from './enqueue-once.js';

/**
 * One webhook, steps 1–9 of architecture.md: verify, read the sender's conversations, route (a pure decision in
 * `src/domain/route-webhook.ts`), then carry the decision out through the ports. Returns what happened as an
 * `Outcome`; refusals and failures are thrown as WebhookError subclasses. The HTTP layer maps both.
 */
export async function processWebhook<P>(
  request: WebhookRequest,
  protocol: ChannelProtocol<P>,
  deps: Dependencies,
): Promise<Outcome> {
  const verified = await verifyWebhook(request, protocol, deps);
  return heartbeatOutcome(verified, deps) ?? processVerified(request, verified, deps);
}

/**
 * Steps 5–9 for a verified, normalised message, whatever the provider: Mailgun/Twilio (`processWebhook`) and the
 * SES branch of `/email` (`processSnsEmail`) both end here; `verified.attachments` says where its attachments
 * come from (stored after the claim, before queueing).
 */
export async function processVerified(
  request: WebhookRequest,
  verified: VerifiedWebhook,
  deps: Dependencies,
): Promise<Outcome> {
  const { message, registry } = verified;
  const log = { channel: message.channel, message_id: message.messageId };
  if (!readsConversations(message)) {
    deps.logger.info('status callback acknowledged', {
      ...log,
      message_status: message.status?.message_status,
    });
    return { kind: 'status-callback' };
  }
  const records = await deps.conversations.findBySender(message.from);
  const sender = senderTrust(message, registry, deps.logger);
  const recipient = { companyChannel: message.to, companyId: registry.company_id };
  const input = { message, records, recipient, sender, nowMs: deps.clock.now().getTime() };
  // No conversation of this sender: a plus-addressed reply may still name one of the same company's.
  // A failed look-up is the adapter's DependencyError: 503, the provider retries, the reply is not dropped.
  const id = conversationIdToLookUp(input);
  const addressed = id === undefined ? undefined : await deps.conversationsById.findById(id);
  const routing = routeWebhook({ ...input, ...(addressed ? { addressed } : {}) });
  if (addressed && routing.type === 'enqueue' && routing.conversation === addressed)
    deps.logger.info('plus-addressed reply from another sender; handed to a human', {
      ...log,
      conversation_id: addressed.conversation_id,
    });
  switch (routing.type) {
    case 'status-callback':
      return { kind: 'status-callback' };
    case 'opt-out':
      await rememberOptOut(message, routing.optedOut, deps);
      return { kind: 'opt-out', optedOut: routing.optedOut, sender };
    case 'unknown-sender': {
      const fallback = await handleUnknownSender(
        message,
        registry,
        verified.secret,
        routing.sendFallback,
        deps,
      );
      return { kind: 'unknown-sender', fallback, sender };
    }
    case 'in-progress':
      throw new InProgressError();
    case 'duplicate':
      return duplicate(deps, { ...log, conversation_id: routing.conversation.conversation_id }, sender);
    case 'enqueue': {
      const result = await enqueueOnce(request, verified, routing, deps);
      if (result.kind === 'duplicate')
        return duplicate(deps, { ...log, conversation_id: routing.conversation.conversation_id }, sender);
      return { ...result, sender };
    }
  }
}

function duplicate(
  deps: Pick<Dependencies, 'logger'>,
  log: Record<string, string>,
  sender: SenderTrust,
): Outcome {
  deps.logger.info('duplicate delivery acknowledged', log);
  return { kind: 'duplicate', sender };
}
