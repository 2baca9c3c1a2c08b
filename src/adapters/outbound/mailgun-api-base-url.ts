import {
  DEFAULT_MAILGUN_API_HOST,
  MAILGUN_API_HOSTS,
  type MailgunApiHost,
} from '../../domain/mailgun-api-host.js';

export interface MailgunApiBaseUrls {
  /** The US API (`MAILGUN_API_BASE_URL`, default https://api.mailgun.net; locally the stand-in). */
  readonly mailgunApiBaseUrl: string;
  /** The EU API (`MAILGUN_EU_API_BASE_URL`, default https://api.eu.mailgun.net). */
  readonly mailgunEuApiBaseUrl?: string;
}

const EU_DEFAULT = `https://${MAILGUN_API_HOSTS[1]}`;

/** The base URL of a tenant's regional Mailgun API: the configured one for its host, US when it names none. */
export function mailgunApiBaseUrlFor(urls: MailgunApiBaseUrls, host: MailgunApiHost | undefined): string {
  return (host ?? DEFAULT_MAILGUN_API_HOST) === 'api.eu.mailgun.net'
    ? (urls.mailgunEuApiBaseUrl ?? EU_DEFAULT)
    : urls.mailgunApiBaseUrl;
}
