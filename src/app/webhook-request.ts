import type { ChannelType, RouteDefinition } from '../resources.js';

/** Neutral request the HTTP translator hands to the application (no API Gateway shapes beyond this point). */
export interface WebhookRequest {
  /** Resolved once, by the HTTP translator, and passed down (body limit, channel). */
  readonly route: RouteDefinition;
  readonly channel: ChannelType;
  /** `POST` for deliveries; `GET` for a provider's subscription check (Meta). */
  readonly method: string;
  /** Query parameters, first value of each (Meta's `hub.*` check); deliveries are configured without a query. */
  readonly query: Readonly<Record<string, string>>;
  /** Header names lower-cased; first value wins. */
  readonly headers: Readonly<Record<string, string>>;
  /** Raw body bytes as received (decoded from base64 if the gateway encoded them). */
  readonly body: Buffer;
  /** The public URL the provider called, used for Twilio signatures. */
  readonly publicUrl: string;
  readonly requestId: string;
  readonly receivedAt: Date;
}

export interface WebhookResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function contentTypeOf(request: WebhookRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
