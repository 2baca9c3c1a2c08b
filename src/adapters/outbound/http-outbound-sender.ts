import type { OutboundMessage, OutboundSender, SecretValue } from '../../app/ports.js';
import { currentDeadline } from '../../app/request-deadline.js';
import { mailgunApiBaseUrlFor } from './mailgun-api-base-url.js';

function withDeadline(timeout: AbortSignal): AbortSignal {
  const deadline = currentDeadline();
  return deadline ? AbortSignal.any([timeout, deadline]) : timeout;
}

export interface OutboundOptions {
  readonly twilioApiBaseUrl: string;
  readonly mailgunApiBaseUrl: string;
  /** MAILGUN_EU_API_BASE_URL: fallbacks of tenants whose entry names `api.eu.mailgun.net`. */
  readonly mailgunEuApiBaseUrl?: string;
  /** Per attempt; two attempts at most, so a hung provider costs the webhook ≤ 2 × this. */
  readonly timeoutMs?: number;
}

export class OutboundSendError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OutboundSendError';
  }
}

function requireString(secret: SecretValue, name: string): string {
  const value = secret[name];
  if (typeof value !== 'string' || value === '') throw new OutboundSendError(`Credentials lack ${name}`);
  return value;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Twilio Messages API and Mailgun messages API over fetch; base URLs come from config so tests can aim locally. */
export class HttpOutboundSender implements OutboundSender {
  constructor(private readonly options: OutboundOptions) {}

  async send(message: OutboundMessage, credentials: SecretValue): Promise<void> {
    const request =
      message.channel === 'email' ? this.mailgun(message, credentials) : this.twilio(message, credentials);
    await this.post(request.url, request.authorization, request.form);
  }

  private twilio(message: OutboundMessage, credentials: SecretValue) {
    const accountSid = requireString(credentials, 'account_sid');
    const form = new URLSearchParams({ To: message.to });
    if (message.messagingServiceSid) form.set('MessagingServiceSid', message.messagingServiceSid);
    else form.set('From', message.from);
    if (message.contentSid) {
      form.set('ContentSid', message.contentSid);
      if (message.contentVariables) form.set('ContentVariables', message.contentVariables);
    } else {
      form.set('Body', message.body);
    }
    return {
      url: `${this.options.twilioApiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
      authorization: basic(accountSid, requireString(credentials, 'auth_token')),
      form,
    };
  }

  private mailgun(message: OutboundMessage, credentials: SecretValue) {
    const domain = requireString(credentials, 'domain');
    const form = new URLSearchParams({ from: message.from, to: message.to, text: message.body });
    if (message.subject) form.set('subject', message.subject);
    if (message.inReplyTo) {
      form.set('h:In-Reply-To', message.inReplyTo);
      form.set('h:References', message.inReplyTo);
    }
    return {
      url: `${mailgunApiBaseUrlFor(this.options, message.mailgunApiHost)}/v3/${encodeURIComponent(domain)}/messages`,
      authorization: basic('api', requireString(credentials, 'api_key')),
      form,
    };
  }

  private async post(url: string, authorization: string, form: URLSearchParams): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? 3_000;
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          signal: withDeadline(AbortSignal.timeout(timeoutMs)),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        lastError = new OutboundSendError(`Provider answered ${response.status}`, response.status);
        // Only a server-side failure is worth a second try; a 4xx will not change.
        if (response.status < 500) break;
      } catch (error) {
        lastError = error;
        // A timeout may mean the provider accepted the message and is slow to say so: retrying could send it
        // twice, and would push the webhook past its 5 s budget. Only a failed connection is retried.
        if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) break;
      }
    }
    throw lastError instanceof OutboundSendError
      ? lastError
      : new OutboundSendError(`Provider unreachable: ${String(lastError)}`);
  }
}
