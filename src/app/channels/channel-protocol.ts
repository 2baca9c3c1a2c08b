import type { InboundMessage } from '../../domain/types.js';
import type { ChannelType } from '../../resources.js';
import type { Dependencies, SecretValue } from '../ports.js';
import type { AttachmentSource } from '../store-message-attachments.js';
import type { WebhookRequest, WebhookResponse } from '../webhook-request.js';

/**
 * Everything that differs between providers lives behind this interface, one implementation per channel:
 * parsing, the registry key, signature verification and normalisation. The use case stays channel-agnostic.
 */
export interface ChannelProtocol<Parsed> {
  readonly channel: ChannelType;
  readonly maxBodyBytes: number;
  /** Refusals decided on the raw request before parsing (e.g. the 406 for an oversized inline email). */
  admit?(request: WebhookRequest): void;
  parse(request: WebhookRequest): Promise<Parsed>;
  /** Company-side address used for the (only) lookup allowed before verification. */
  registryAddress(parsed: Parsed): string;
  /** Pure check of the provider signature; false means "not authentic with this secret". */
  verify(parsed: Parsed, request: WebhookRequest, secret: SecretValue, now: Date): boolean;
  /** Checks needing storage once the signature holds (e.g. token replay); throws ForbiddenError. */
  afterVerify?(parsed: Parsed, deps: Dependencies, now: Date): Promise<void>;
  /** Validates the verified payload; throws BadRequestError naming the field. */
  normalise(parsed: Parsed, secret: SecretValue): InboundMessage;
  /** Where the verified message's attachments come from (email); absent or `none`: nothing to store. */
  attachmentSource?(parsed: Parsed, request: WebhookRequest, secret: SecretValue): AttachmentSource;
  acknowledge(): WebhookResponse;
}
