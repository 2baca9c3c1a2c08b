import { ForbiddenError } from '../domain/errors.js';
import { replyText } from '../domain/reply-text.js';
import { normaliseSesEmail, sesRegistryCandidates } from '../domain/ses-message.js';
import type { RegistryEntry } from '../domain/types.js';
import { SES } from '../resources.js';
import type { Outcome } from './outcome.js';
import type { Dependencies } from './ports.js';
import { processVerified } from './process-webhook.js';
import {
  handleSubscriptionMessage,
  readSesNotification,
  type SesInboundEmail,
  verifySnsDelivery,
} from './ses-inbound.js';
import type { WebhookRequest } from './webhook-request.js';

/** Recipients looked up in order, at most this many (SES allows 50 per message; one is ours in practice). */
const MAX_REGISTRY_LOOKUPS = 10;

async function sesRegistryEntries(
  candidates: readonly string[],
  deps: Dependencies,
): Promise<{ entry: RegistryEntry; address: string }[]> {
  const found: { entry: RegistryEntry; address: string }[] = [];
  for (const address of candidates.slice(0, MAX_REGISTRY_LOOKUPS)) {
    const entry = await deps.registry.find(address);
    // Only addresses registered for SES: an SES topic can never inject mail into a Mailgun tenant's address.
    if (entry?.channel_type === 'email' && entry.provider === 'ses') found.push({ entry, address });
  }
  return found;
}

/**
 * The SNS branch of `POST /email` (Amazon SES inbound), chosen by the `x-amz-sns-message-type` header: verification first
 * (nothing is read or written before it), subscription messages answered, a received email routed through the same
 * pipeline as Mailgun's (`processVerified`): conversation by sender, plus-addressing checked against the
 * company, claim (an SNS redelivery is a duplicate), attachments stored, queue.
 */
export async function processSnsEmail(request: WebhookRequest, deps: Dependencies): Promise<Outcome> {
  const ses = deps.ses;
  if (!ses) throw new ForbiddenError('signature');
  const envelope = await verifySnsDelivery(
    request.body.toString('utf8'),
    request.headers[SES.snsMessageTypeHeader],
    ses.inbound,
  );
  if (envelope.Type !== 'Notification') {
    await handleSubscriptionMessage(envelope, ses.inbound);
    return { kind: 'subscription' };
  }
  const inbound = await readSesNotification(envelope, ses.inbound);
  const registered = await sesRegistryEntries(sesRegistryCandidates(inbound.receipt), deps);
  const [first, ...others] = registered;
  if (!first) throw new ForbiddenError('unknown-recipient');
  // One SES notification can name several of our addresses (Mailgun posts once per recipient): each registered
  // recipient gets its own message, claim and dedupe key. A failure on any is a 5xx, so SNS redelivers and the
  // recipients already queued meet their own claims (duplicates). The first recipient's Outcome is the answer.
  // Reply extraction only now: mail for no registered address never costs it.
  const body = replyText(inbound.email.text);
  const outcome = await deliverTo(first, inbound, body, request, deps);
  for (const recipient of others) await deliverTo(recipient, inbound, body, request, deps);
  return outcome;
}

function deliverTo(
  registered: { entry: RegistryEntry; address: string },
  inbound: SesInboundEmail,
  body: string,
  request: WebhookRequest,
  deps: Dependencies,
): Promise<Outcome> {
  const listed = inbound.email.attachments.map(({ filename, content_type, size }) => ({
    filename,
    content_type,
    size,
  }));
  const message = normaliseSesEmail({ ...inbound, body }, registered.address, listed);
  return processVerified(
    request,
    {
      message,
      registry: registered.entry,
      // Nothing to verify with: SNS is verified by AWS's certificate, and SES sends with the function's role.
      secret: {},
      validatedAt: deps.clock.now(),
      // The parsed MIME parts, stored by the shared attachment step like Mailgun's.
      attachments: {
        kind: 'parts',
        parts: inbound.email.attachments.map((part) => ({
          filename: part.filename,
          contentType: part.content_type,
          content: part.content,
        })),
      },
      // Not readable here (too large, unparseable): a human gets the raw object's reference.
      ...(inbound.unprocessed ? { unprocessed: inbound.unprocessed } : {}),
    },
    deps,
  );
}
