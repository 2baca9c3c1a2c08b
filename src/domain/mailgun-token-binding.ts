import { createHash } from 'node:crypto';
import type { AttachmentItem } from './types.js';

/** The fields that carry the signature itself; everything else Mailgun posts is the message the token came with. */
const SIGNATURE_FIELDS: ReadonlySet<string> = new Set(['timestamp', 'token', 'signature']);

/**
 * What a Mailgun token is bound to: a SHA-256 (hex) over the parsed message it was posted with — every field but
 * `timestamp`/`token`/`signature`, sorted by name, and the attachments' names, types, sizes and bytes in order. Mailgun's
 * signature covers only `timestamp + token`, so this is what tells a retry of the same message (same binding,
 * processed again; the conversation claim keeps it from being queued twice) from a captured token reused with
 * another message (another binding, refused). Parsed values, never raw bytes: a retry may be re-encoded with
 * another multipart boundary, field order or encoding.
 *
 * @example
 * mailgunTokenBinding(form.fields, form.attachments); // '3f0c…' (64 hex)
 */
export function mailgunTokenBinding(
  fields: Readonly<Record<string, string>>,
  attachments: readonly AttachmentItem[],
  /** SHA-256 of the attachments' bytes (`MailgunForm.attachmentsDigest`), when they were posted inline. */
  attachmentsDigest = '',
): string {
  const hash = createHash('sha256');
  // Length-prefixed, so no choice of names and values can make two different messages hash alike.
  const add = (value: string) => {
    hash.update(`${Buffer.byteLength(value, 'utf8')}:`);
    hash.update(value, 'utf8');
  };
  const names = Object.keys(fields)
    .filter((name) => !SIGNATURE_FIELDS.has(name))
    .sort();
  add(`fields:${names.length}`);
  for (const name of names) {
    add(name);
    add(fields[name] ?? '');
  }
  add(`attachments:${attachments.length}`);
  for (const attachment of attachments) {
    add(attachment.filename);
    add(attachment.content_type);
    add(String(attachment.size));
  }
  add(attachmentsDigest);
  return hash.digest('hex');
}
