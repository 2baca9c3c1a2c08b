import type { ChannelType } from '../../domain/channel.js';
import type { Provider } from '../../domain/provider.js';
import type { InboundMessage } from '../../domain/types.js';
import type { ReplayGuard, SecretValue } from '../ports.js';
import type { AttachmentSource } from '../store-message-attachments.js';
import type { WebhookRequest } from '../webhook-request.js';

/**
 * Everything that differs between providers lives behind this interface, one implementation per channel:
 * parsing, the registry key, signature verification and normalisation. The use case stays channel-agnostic, and
 * the HTTP layer gives the provider its acknowledgement (TwiML, JSON) from `provider`.
 */
export interface ChannelProtocol<Parsed> {
  readonly channel: ChannelType;
  readonly provider: Provider;
  /** Refusals decided on the raw request before the size bound and parsing (the 406 for an oversized inline email). */
  admit?(request: WebhookRequest): void;
  /** Bounded by the route's `maxBodyBytes` before this is called. */
  parse(request: WebhookRequest): Promise<Parsed>;
  /** Company-side address used for the (only) lookup allowed before verification. */
  registryAddress(parsed: Parsed): string;
  /** Pure check of the provider signature; false means "not authentic with this secret". */
  verify(parsed: Parsed, request: WebhookRequest, secret: SecretValue, now: Date): boolean;
  /** Checks needing storage once the signature holds (one-time token replay); throws ForbiddenError. */
  afterVerify?(parsed: Parsed, replayGuard: ReplayGuard, now: Date): Promise<void>;
  /** Validates the verified payload; throws BadRequestError naming the field. */
  normalise(parsed: Parsed, secret: SecretValue): InboundMessage;
  /** Where the verified message's attachments come from (email, WhatsApp media); absent: nothing to store. */
  attachmentSource?(
    parsed: Parsed,
    request: WebhookRequest,
    secret: SecretValue,
    message: InboundMessage,
  ): AttachmentSource;
}
