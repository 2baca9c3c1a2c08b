/**
 * Ports for provider media (WhatsApp attachments from Meta's Cloud API and from Twilio) and Meta's Graph API.
 * Adapters: `src/adapters/outbound/http-graph-api.ts`, `src/adapters/outbound/http-twilio-media.ts`. Failures of
 * the provider come out as `DependencyError` (through `dependencyCall`) or as the domain's own refusals
 * (`DisallowedMediaUrlError`, `PayloadTooLargeError`); `storeProviderMedia` decides what each means for a message.
 */

/** One media body being downloaded: streamed, read at most once. */
export interface MediaDownload {
  readonly body: AsyncIterable<Uint8Array>;
  /** The provider's Content-Type (sanitised). */
  readonly contentType: string;
  /** Content-Length when the provider sent one (already checked against the size bound). */
  readonly declaredBytes?: number;
  /** Releases the connection when the body is not read to the end. */
  cancel(): Promise<void>;
}

export interface MediaFetchOptions {
  /** Refused (`PayloadTooLargeError`) before or while reading when the media turns out larger. */
  readonly maxBytes: number;
  /** Aborts the fetch (a media budget inside the webhook's); the webhook's own deadline always applies too. */
  readonly signal?: AbortSignal;
}

/** `GET {graph}/<media-id>`: where to download the media for the next five minutes, and what it is. */
export interface GraphMediaInfo {
  readonly url: string;
  readonly mimeType: string;
  /** As Meta gives it (hex here; base64 in webhooks): `sameSha256` compares either form. */
  readonly sha256?: string;
  readonly fileSize?: number;
}

export interface GraphTextMessage {
  readonly phoneNumberId: string;
  /** The recipient's wa_id (digits, no `+`). */
  readonly to: string;
  readonly body: string;
}

/** Meta's Graph API (WhatsApp Cloud API), called with one tenant's bearer access token. */
export interface GraphApi {
  /** `?phone_number_id=` makes Meta check the media belongs to that number. */
  mediaInfo(
    mediaId: string,
    accessToken: string,
    options?: { readonly phoneNumberId?: string; readonly signal?: AbortSignal },
  ): Promise<GraphMediaInfo>;
  /** The URL `mediaInfo` gave, with the bearer token: only Graph's host or Meta's media hosts, redirects likewise. */
  downloadMedia(url: string, accessToken: string, options: MediaFetchOptions): Promise<MediaDownload>;
  /** `POST {graph}/<phone_number_id>/messages`, a free-form text (inside the customer-service window). */
  sendText(message: GraphTextMessage, accessToken: string): Promise<void>;
}

export interface TwilioMediaCredentials {
  readonly accountSid: string;
  readonly authToken: string;
}

/** `MediaUrlN` with HTTP Basic (AccountSid:AuthToken); its redirect followed only to Twilio's media hosts. */
export interface TwilioMedia {
  download(
    url: string,
    credentials: TwilioMediaCredentials,
    options: MediaFetchOptions,
  ): Promise<MediaDownload>;
}

/** What `storeProviderMedia` needs; absent ports mean that provider's media is never fetched (kept by reference). */
export interface ProviderMediaPorts {
  readonly graphApi?: GraphApi;
  readonly twilioMedia?: TwilioMedia;
}
