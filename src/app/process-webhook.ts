import { DependencyError, InProgressError, WebhookError } from '../domain/errors.js';
import { conversationIdToLookUp, readsConversations, routeWebhook } from '../domain/route-webhook.js';
import type { SenderTrust } from '../domain/sender-verdict.js';
import { enqueueOnce } from './enqueue-once.js';
import { handleUnknownSender, rememberOptOut } from './handle-unknown-sender.js';
import { heartbeatOutcome } from './heartbeat.js';
import type { Outcome } from './outcome.js';
import type { Dependencies } from './ports.js';
import type { ProviderFrontEnd } from './providers/front-end.js';
import { senderTrust } from './sender-trust.js';
import type { VerifiedWebhook } from './verify-webhook.js';
import type { WebhookRequest } from './webhook-request.js';

export { IN_PROGRESS_MS } from './enqueue-once.js';

/**
 * One webhook: the provider's front end authenticates it (`providers/provider-registry.ts` picks it), then every
 * verified message it carries runs through the same steps 4–9 of architecture.md (`processVerified`). Returns one
 * `Outcome` per message (or the control answer); the HTTP layer acknowledges only when every message ended
 * durably queued or handled: any failure is thrown (the worst one) after the others were tried, so the provider
 * redelivers the whole request and the claims make the messages already queued duplicates.
 */
export async function processWebhook(
  request: WebhookRequest,
  frontEnd: ProviderFrontEnd,
  deps: Dependencies,
): Promise<readonly Outcome[]> {
  const authenticated = await frontEnd.authenticate(request, deps);
  if (authenticated.kind === 'control') return [authenticated.outcome];
  const outcomes: Outcome[] = [];
  const failures: unknown[] = [...(authenticated.refused ?? [])];
  for (const verified of authenticated.messages) {
    try {
      outcomes.push(heartbeatOutcome(verified, deps) ?? (await processVerified(request, verified, deps)));
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw worst(failures);
  return outcomes;
}

/** The failure the provider must see: an unexpected one, else one it retries (a 5xx), else the first refusal. */
function worst(failures: readonly unknown[]): unknown {
  return (
    failures.find((e) => !(e instanceof WebhookError)) ??
    failures.find((e) => e instanceof DependencyError || e instanceof InProgressError) ??
    failures[0]
  );
}

/**
 * Steps 4–9 for one verified, normalised message, whatever the provider; `verified.attachments` says where its
 * attachments come from (stored after the claim, before queueing).
 */
async function processVerified(
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
