import { resolve as resolvePath } from 'node:path';
import type { ChannelType } from '../resources.js';
import { DEFAULT_GATEWAY } from './cli-env.js';
import { UsageError } from './cli-error.js';
import type { FlagSpec } from './command-spec.js';
import type { CredentialOptions } from './credentials.js';
import { type FlagValues, listFlag, stringFlag } from './parse-flags.js';

const E164 = /^\+[1-9]\d{6,14}$/;

/** Flags shared by `send` and `simulate`: who writes to whom, what, and which secret signs it. */
export const MESSAGE_FLAGS = {
  from: {
    type: 'string',
    placeholder: 'ADDRESS',
    description: 'sender: E.164 number (+447700900123) or email',
  },
  to: {
    type: 'string',
    placeholder: 'ADDRESS',
    description: 'company channel (default: the demo channel of this channel type)',
  },
  body: { type: 'string', placeholder: 'TEXT', description: 'message text' },
  url: {
    type: 'string',
    placeholder: 'URL',
    description: `gateway base URL or full webhook URL (default ${DEFAULT_GATEWAY}, from PORT)`,
  },
  media: { type: 'string', multiple: true, placeholder: 'URL', description: 'Twilio media URL (MediaUrlN)' },
  attach: { type: 'string', multiple: true, placeholder: 'FILE', description: 'email attachment file' },
  subject: { type: 'string', placeholder: 'TEXT', description: 'email subject' },
  'message-sid': {
    type: 'string',
    placeholder: 'ID',
    description: 'MessageSid (Twilio) or Message-Id (email); default: a fresh one',
  },
  'in-reply-to': { type: 'string', placeholder: 'ID', description: 'email In-Reply-To header' },
  'profile-name': { type: 'string', placeholder: 'NAME', description: 'WhatsApp ProfileName' },
  encoding: {
    type: 'string',
    placeholder: 'KIND',
    description: 'email body: multipart or urlencoded (default: multipart with attachments)',
  },
  'secrets-file': {
    type: 'string',
    placeholder: 'FILE',
    description: 'JSON secrets file, credentials_reference → secret (default: the demo secrets)',
  },
  'credentials-ref': { type: 'string', placeholder: 'REF', description: 'which secret of the file signs' },
  'auth-token': {
    type: 'string',
    placeholder: 'TOKEN',
    description: 'Twilio Auth Token (instead of a file)',
  },
  'account-sid': {
    type: 'string',
    placeholder: 'SID',
    description: 'Twilio Account SID (instead of a file)',
  },
  'signing-key': {
    type: 'string',
    placeholder: 'KEY',
    description: 'Mailgun signing key (instead of a file)',
  },
} as const satisfies Readonly<Record<string, FlagSpec>>;

/**
 * Checks --from before anything is signed: the gateway would refuse a malformed sender with 400, after the CLI
 * had signed and sent it. The message lists the accepted forms.
 */
export function checkSender(channel: ChannelType, from: string): void {
  if (channel === 'email') {
    const at = from.lastIndexOf('@');
    if (at < 1 || at === from.length - 1 || /\s/.test(from))
      throw new UsageError(
        `--from must be an email address for email, e.g. candidate@example.com (got "${from}")`,
      );
    return;
  }
  const bare = channel === 'whatsapp' ? from.replace(/^whatsapp:/, '') : from;
  if (!E164.test(bare)) {
    const forms = channel === 'whatsapp' ? '+447700900123 or whatsapp:+447700900123' : '+447700900123';
    throw new UsageError(
      `--from must be an E.164 number for ${channel} ("+", country code, number; no spaces or leading 0), e.g. ${forms} (got "${from}")`,
    );
  }
}

export function credentialOptions(values: FlagValues): CredentialOptions {
  const pick = (flag: string, key: keyof CredentialOptions) => {
    const value = stringFlag(values, flag);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    ...pick('secrets-file', 'secretsFile'),
    ...pick('credentials-ref', 'credentialsRef'),
    ...pick('auth-token', 'authToken'),
    ...pick('account-sid', 'accountSid'),
    ...pick('signing-key', 'signingKey'),
  };
}

/** `cwd`: where the user ran the command (relative `--attach` files resolve there, also under `npm run`). */
export function messageOptions(values: FlagValues, channel: ChannelType, cwd?: string) {
  const media = listFlag(values, 'media');
  const attach = listFlag(values, 'attach').map((file) => resolvePath(cwd ?? process.cwd(), file));
  const optional = (flag: string, key: string) => {
    const value = stringFlag(values, flag);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    ...(channel !== 'email' && media.length > 0 ? { mediaUrls: media } : {}),
    ...(channel === 'email' && attach.length > 0 ? { attachmentFiles: attach } : {}),
    ...optional('subject', 'subject'),
    ...optional('message-sid', 'messageId'),
    ...optional('in-reply-to', 'inReplyTo'),
    ...optional('profile-name', 'profileName'),
  };
}
