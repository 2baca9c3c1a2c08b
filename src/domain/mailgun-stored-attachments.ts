// zod/mini, as the other parsers: the same checks at a fraction of the cold-start cost.
import * as z from 'zod/mini';
import { BadRequestError } from './errors.js';
import { parseUntrustedJson } from './parse-untrusted-json.js';

/** One entry of a store(notify) notification's `attachments` field (Mailgun's names, made camel-case). */
export interface StoredAttachmentRef {
  readonly url: string;
  readonly contentType: string;
  readonly name: string;
  readonly size: number;
}

/** Mailgun's own cap on attachments per message is far above any real email; the form parser allows 50 files. */
export const MAX_STORED_ATTACHMENTS = 50;
/** Checked before JSON.parse: 50 entries of URL (≤ 2 KB), name and type fit in well under this. */
const MAX_FIELD_CHARS = 256 * 1024;

const entry = z.object({
  url: z.string().check(z.minLength(1, 'url must not be empty'), z.maxLength(2048, 'url is too long')),
  // Sender-chosen and only bounded here: `safeFilename` / `declaredContentType` cut and clean them for every path,
  // so a long name costs the candidate nothing (refusing it would refuse their email).
  'content-type': z._default(z.string().check(z.maxLength(1024, 'content-type is too long')), ''),
  name: z._default(z.string().check(z.maxLength(4096, 'name is too long')), 'attachment'),
  size: z
    .number('size must be a number')
    .check(z.int('size must be whole'), z.minimum(0, 'size must be ≥ 0')),
});
const list = z.array(entry).check(z.maxLength(MAX_STORED_ATTACHMENTS, 'too many attachments'));

/**
 * Parses the `attachments` field of a Mailgun store(notify) notification: a JSON list of `{ url, content-type,
 * name, size }`. Bounded before parsing; an absent or empty field is no attachments. The URLs are NOT trusted here:
 * `isAllowedMailgunUrl` decides where the API key may go, in the fetcher, before any request.
 */
export function parseStoredAttachmentRefs(field: string | undefined): StoredAttachmentRef[] {
  if (field === undefined || field.trim() === '') return [];
  if (field.length > MAX_FIELD_CHARS) throw new BadRequestError('Invalid field attachments: too large');
  const raw = parseUntrustedJson(field, 'Invalid field attachments: not JSON');
  const parsed = list.safeParse(raw);
  if (!parsed.success) {
    throw new BadRequestError(`Invalid field attachments: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
  }
  return parsed.data.map((item) => ({
    url: item.url,
    contentType: item['content-type'],
    name: item.name,
    size: item.size,
  }));
}
