import type {
  MediaDownload,
  MediaFetchOptions,
  RequestDeadline,
  TwilioMedia,
  TwilioMediaCredentials,
} from '../../app/ports.js';
import {
  DisallowedMediaUrlError,
  isAllowedTwilioMediaRedirect,
  isAllowedTwilioMediaUrl,
} from '../../domain/provider-media-url.js';
import { downloadMedia, withinDeadline } from './media-download.js';

const NO_HEADERS: Readonly<Record<string, string>> = {};

export interface HttpTwilioMediaOptions {
  /** TWILIO_API_BASE_URL: `MediaUrlN` must be under it (the Auth Token goes nowhere else). */
  readonly twilioApiBaseUrl: string;
  readonly timeoutMs?: number;
  /** The webhook's deadline, besides the per-request timeout. */
  readonly deadline?: RequestDeadline;
}

/**
 * Twilio media over fetch: `MediaUrlN` with HTTP Basic (AccountSid:AuthToken, required when the account enforces
 * auth on media), then Twilio's redirect to its short-lived media URL, followed only to Twilio's media hosts and
 * without the credentials (that URL is already authorised; the Auth Token never leaves the API host).
 */
export class HttpTwilioMedia implements TwilioMedia {
  private readonly base: string;

  constructor(private readonly options: HttpTwilioMediaOptions) {
    this.base = options.twilioApiBaseUrl.replace(/\/+$/, '');
  }

  download(
    url: string,
    credentials: TwilioMediaCredentials,
    options: MediaFetchOptions,
  ): Promise<MediaDownload> {
    if (!isAllowedTwilioMediaUrl(url, this.base)) return Promise.reject(new DisallowedMediaUrlError());
    const basic = Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64');
    const apiOrigin = new URL(this.base).origin;
    return downloadMedia({
      url,
      headers: { Authorization: `Basic ${basic}` },
      maxBytes: options.maxBytes,
      timeoutMs: this.options.timeoutMs ?? 10_000,
      signal: withinDeadline(options.signal, this.options.deadline),
      dependency: 'twilio-media',
      redirect: (next): Readonly<Record<string, string>> | undefined => {
        if (!isAllowedTwilioMediaRedirect(next, this.base)) return undefined;
        // Back on the API origin (another media path) the credentials are still Twilio's; elsewhere none.
        return new URL(next).origin === apiOrigin && isAllowedTwilioMediaUrl(next, this.base)
          ? { Authorization: `Basic ${basic}` }
          : NO_HEADERS;
      },
    });
  }
}
