/**
 * Mailgun runs one API per region: accounts created in the EU live at `api.eu.mailgun.net`, all others at
 * `api.mailgun.net`, and each region's stored messages are served only under its own host. A tenant's registry
 * entry names its host (`mailgun_api_host`); nothing else is accepted, so an entry can never point the API key
 * anywhere but Mailgun.
 */
export const MAILGUN_API_HOSTS = ['api.mailgun.net', 'api.eu.mailgun.net'] as const;

export type MailgunApiHost = (typeof MAILGUN_API_HOSTS)[number];

/** The host of an entry without the attribute: Mailgun's US API. */
export const DEFAULT_MAILGUN_API_HOST: MailgunApiHost = 'api.mailgun.net';

export function isMailgunApiHost(value: unknown): value is MailgunApiHost {
  return typeof value === 'string' && (MAILGUN_API_HOSTS as readonly string[]).includes(value);
}
