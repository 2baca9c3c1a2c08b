import { ForbiddenError } from '../../domain/errors.js';
import { replyText } from '../../domain/reply-text.js';
import { normaliseSesEmail, sesRegistryCandidates } from '../../domain/ses-message.js';
import type { RegistryEntry } from '../../domain/types.js';
import { SES } from '../../resources.js';
import type { Dependencies } from '../ports.js';
import {
  handleSubscriptionMessage,
  readSesNotification,
  type SesInboundEmail,
  verifySnsDelivery,
} from '../ses-inbound.js';
import type { VerifiedWebhook } from '../verify-webhook.js';
import type { ProviderFrontEnd } from './front-end.js';

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
 * Amazon SES through SNS on `POST /email` (chosen by SNS's message-type header): the certificate-signed envelope
 * is verified first (nothing is read or written before it), a subscription message is a control answer, and a
 * received email becomes one verified message per registered recipient (Mailgun posts once per recipient; SES
 * once for all), each with its own claim and dedupe key in the shared pipeline.
 */
export function sesFrontEnd(): ProviderFrontEnd {
  return {
    provider: 'ses',
    async authenticate(request, deps) {
      if (!deps.ses) throw new ForbiddenError('signature');
      const ses = await deps.ses();
      const envelope = await verifySnsDelivery(
        request.body.toString('utf8'),
        request.headers[SES.snsMessageTypeHeader],
        ses.inbound,
      );
      if (envelope.Type !== 'Notification') {
        await handleSubscriptionMessage(envelope, ses.inbound);
        return { kind: 'control', outcome: { kind: 'subscription' } };
      }
      const inbound = await readSesNotification(envelope, ses.inbound);
      const registered = await sesRegistryEntries(sesRegistryCandidates(inbound.receipt), deps);
      if (registered.length === 0) throw new ForbiddenError('unknown-recipient');
      const validatedAt = deps.clock.now();
      // Reply extraction only now: mail for no registered address never costs it.
      const body = replyText(inbound.email.text);
      return {
        kind: 'messages',
        messages: registered.map((r) => verifiedFor(r, inbound, body, validatedAt)),
      };
    },
  };
}

function verifiedFor(
  registered: { entry: RegistryEntry; address: string },
  inbound: SesInboundEmail,
  body: string,
  validatedAt: Date,
): VerifiedWebhook {
  const listed = inbound.email.attachments.map(({ filename, content_type, size }) => ({
    filename,
    content_type,
    size,
  }));
  return {
    message: normaliseSesEmail({ ...inbound, body }, registered.address, listed),
    registry: registered.entry,
    // SNS is verified by AWS's certificate, and SES sends with the function's role: no tenant secret.
    secret: {},
    validatedAt,
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
  };
}
