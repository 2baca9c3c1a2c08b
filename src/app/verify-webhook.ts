import {
  BadRequestError,
  ForbiddenError,
  PayloadTooLargeError,
  type PermanentReason,
  VerifiedContentError,
} from '../domain/errors.js';
import type { InboundMessage, RegistryEntry } from '../domain/types.js';
import type { ChannelProtocol } from './channels/channel-protocol.js';
import type { Dependencies, SecretValue } from './ports.js';
import type { AttachmentSource } from './store-message-attachments.js';
import type { WebhookRequest } from './webhook-request.js';

export interface VerifiedWebhook {
  readonly message: InboundMessage;
  readonly registry: RegistryEntry;
  /** The secret the signature verified with (after a rotation, the fresh one). */
  readonly secret: SecretValue;
  readonly validatedAt: Date;
  /** Where the attachments come from; stored after the claim, before queueing (`storeMessageAttachments`). */
  readonly attachments: AttachmentSource;
  /** The provider's message could not be read here (too large, unparseable): a human gets what was kept. */
  readonly unprocessed?: {
    readonly reason: PermanentReason;
    readonly rawEmail?: {
      readonly size: number;
      readonly s3: { readonly bucket: string; readonly key: string };
    };
  };
}

const NO_ATTACHMENTS: AttachmentSource = { kind: 'none' };

type VerifyPorts = Pick<Dependencies, 'registry' | 'secrets' | 'replayGuard' | 'clock'>;

/**
 * Steps 1–5 of architecture.md, in the order the security rules demand: bound → parse → the one cached registry
 * read → signature (one rate-limited secret re-fetch on mismatch) → replay guard → normalise. Nothing is
 * written before the signature holds. Throws WebhookError subclasses.
 */
export async function verifyWebhook<P>(
  request: WebhookRequest,
  protocol: ChannelProtocol<P>,
  deps: VerifyPorts,
): Promise<VerifiedWebhook> {
  protocol.admit?.(request);
  const maxBytes = request.route.maxBodyBytes;
  if (request.body.length > maxBytes) throw new PayloadTooLargeError(`Body larger than ${maxBytes} bytes`);
  const parsed = await protocol.parse(request);
  const registry = await deps.registry.find(protocol.registryAddress(parsed));
  if (!registry || registry.channel_type !== protocol.channel) throw new ForbiddenError('unknown-recipient');
  const secret = await verifiedSecret(parsed, protocol, request, registry, deps);
  await protocol.afterVerify?.(parsed, deps.replayGuard, deps.clock.now());
  const message = refusedWhenMalformed(protocol, () => protocol.normalise(parsed, secret));
  // Read (never fetched) before any claim, so a malformed attachments field is a 4xx that changes nothing.
  const attachments = refusedWhenMalformed(
    protocol,
    () => protocol.attachmentSource?.(parsed, request, secret) ?? NO_ATTACHMENTS,
  );
  return { message, registry, secret, validatedAt: deps.clock.now(), attachments };
}

async function verifiedSecret<P>(
  parsed: P,
  protocol: ChannelProtocol<P>,
  request: WebhookRequest,
  registry: RegistryEntry,
  deps: VerifyPorts,
): Promise<SecretValue> {
  const cached = await deps.secrets.get(registry.credentials_reference);
  if (protocol.verify(parsed, request, cached, deps.clock.now())) return cached;
  // The token may have been rotated since we cached it: one rate-limited re-fetch, then give up.
  const fresh = await deps.secrets.refresh(registry.credentials_reference);
  if (fresh && protocol.verify(parsed, request, fresh, deps.clock.now())) return fresh;
  throw new ForbiddenError('signature');
}

/** A 400 after the signature held is a refusal of verified content; the HTTP layer picks the provider's answer. */
function refusedWhenMalformed<P, T>(protocol: ChannelProtocol<P>, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof BadRequestError && !(error instanceof VerifiedContentError)) {
      throw new VerifiedContentError(error.message, protocol.provider, { cause: error });
    }
    throw error;
  }
}
