import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from '../domain/provider.js';
import type { MailgunStorage } from './mailgun-storage.js';
import type { SentEmail } from './ses/ses-emulator.js';
import type { TwilioMediaStandIn } from './twilio-media-stand-in.js';

/** The other provider stand-ins the outbox fronts or reports on. */
export interface OutboxProviders {
  /** Twilio message media (`MediaUrlN`), served under the Twilio base URL. */
  readonly twilioMedia?: TwilioMediaStandIn;
  /** Meta's Graph API stand-in (its own port): the WhatsApp messages it was asked to send. */
  readonly meta?: { readonly sent: readonly OutboxEntry[]; clear(): void };
}

export interface OutboxEntry {
  readonly provider: Provider;
  readonly at: string;
  /** AccountSid (Twilio) or sending domain (Mailgun) from the URL. */
  readonly account: string;
  readonly authUser: string;
  readonly authPassword: string;
  readonly fields: Readonly<Record<string, string>>;
}

export type OutboxMode = 'ok' | 'fail' | 'hang';

const TWILIO_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const MAILGUN_PATH = /^\/v3\/([^/]+)\/messages$/;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** `Authorization: Basic …` → [user, password], or undefined when absent or malformed. */
export function basicAuth(header: string | undefined): [string, string] | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/**
 * A local stand-in for the Twilio Messages API and the Mailgun messages API: same paths, HTTP Basic auth and form
 * fields, answers shaped like theirs, and a record of everything received. `mode` simulates outages for tests.
 */
export class Outbox {
  constructor(
    /** Mailgun's storage API (store() route action), served under the same base URL as the messages API. */
    readonly storage?: MailgunStorage,
    /** The embedded SESv2 emulator: what the SES fallback sent (no credentials: SES uses the IAM role). */
    private readonly ses?: { sent(): Promise<SentEmail[]> },
    readonly providers: OutboxProviders = {},
  ) {}

  /** Everything sent, oldest first: the Twilio/Mailgun stand-ins' entries and the SESv2 emulator's mail. */
  async allEntries(): Promise<OutboxEntry[]> {
    const sent = (await this.ses?.sent()) ?? [];
    const ses = sent.map(
      (email): OutboxEntry => ({
        provider: 'ses',
        at: new Date(email.at * (email.at < 1e12 ? 1000 : 1)).toISOString(),
        account: 'sesv2',
        authUser: '',
        authPassword: '',
        fields: {
          from: email.from,
          to: email.destination.to.join(', '),
          subject: email.subject,
          text: email.body.text ?? '',
          ...Object.fromEntries((email.headers ?? []).map((h) => [`h:${h.name}`, h.value])),
        },
      }),
    );
    return [...this.entries, ...ses, ...(this.providers.meta?.sent ?? [])].sort((a, b) =>
      a.at.localeCompare(b.at),
    );
  }

  readonly entries: OutboxEntry[] = [];
  mode: OutboxMode = 'ok';
  /** Requests received in `hang` mode (never answered unless released), for tests that wait on the event. */
  hungCalls = 0;
  private readonly hanging = new Set<ServerResponse>();

  /** Handles `path` (relative to the outbox base URL); false when the path is not an API the outbox speaks. */
  handle(path: string, req: IncomingMessage, res: ServerResponse, body: Buffer): boolean {
    if (this.storage?.handle(path, req, res, body)) return true;
    if (this.providers.twilioMedia?.handle(path, req, res)) return true;
    const twilio = TWILIO_PATH.exec(path);
    const mailgun = MAILGUN_PATH.exec(path);
    if (!twilio && !mailgun) return false;
    if (req.method !== 'POST') {
      send(res, 405, { message: 'Method not allowed' });
      return true;
    }
    const auth = basicAuth(req.headers.authorization);
    if (!auth) {
      send(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
      return true;
    }
    if (this.mode === 'hang') {
      this.hungCalls += 1;
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return true;
    }
    if (this.mode === 'fail') {
      send(res, 500, { code: 20500, message: 'Internal Server Error', status: 500 });
      return true;
    }
    const fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    const account = decodeURIComponent((twilio ?? mailgun)?.[1] ?? '');
    this.entries.push({
      provider: twilio ? 'twilio' : 'mailgun',
      at: new Date().toISOString(),
      account,
      authUser: auth[0],
      authPassword: auth[1],
      fields,
    });
    if (twilio) {
      send(res, 201, {
        sid: `SM${randomBytes(16).toString('hex')}`,
        account_sid: account,
        to: fields.To,
        from: fields.From ?? null,
        body: fields.Body ?? null,
        status: 'queued',
      });
    } else {
      send(res, 200, { id: `<${randomBytes(8).toString('hex')}@${account}>`, message: 'Queued. Thank you.' });
    }
    return true;
  }

  clear(): void {
    this.entries.length = 0;
    this.providers.meta?.clear();
  }

  /** Ends requests held by `hang` mode (so servers can close). */
  releaseHanging(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }
}
