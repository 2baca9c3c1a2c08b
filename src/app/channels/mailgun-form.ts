import { createHash } from 'node:crypto';
import busboy from 'busboy';
import { BadRequestError, UnsupportedMediaTypeError } from '../../domain/errors.js';
import { parseFormBody } from '../../domain/form-body.js';
import type { AttachmentItem } from '../../domain/types.js';
import { MULTIPART_LIMITS } from '../../resources.js';

export interface MailgunForm {
  readonly fields: Readonly<Record<string, string>>;
  readonly attachments: readonly AttachmentItem[];
  /** SHA-256 (hex) of every file part's bytes, in order: binds a Mailgun token to the attachments' content too. */
  readonly attachmentsDigest?: string;
}

/** Mailgun routes post `multipart/form-data` (with attachments) or urlencoded bodies; both become fields + a file list. */
export async function parseMailgunForm(
  contentType: string,
  headerValue: string,
  body: Buffer,
): Promise<MailgunForm> {
  if (contentType === 'application/x-www-form-urlencoded') {
    const fields: Record<string, string> = {};
    for (const [key, value] of parseFormBody(body.toString('utf8')))
      if (!(key in fields)) fields[key] = value;
    return { fields, attachments: [] };
  }
  if (contentType !== 'multipart/form-data') {
    throw new UnsupportedMediaTypeError(
      'Content-Type must be multipart/form-data or application/x-www-form-urlencoded',
    );
  }
  return parseMultipart(headerValue, body);
}

function parseMultipart(headerValue: string, body: Buffer): Promise<MailgunForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': headerValue },
        limits: MULTIPART_LIMITS,
        defParamCharset: 'utf8',
      });
    } catch {
      reject(new BadRequestError('Malformed multipart body: missing or invalid boundary'));
      return;
    }
    const fields: Record<string, string> = {};
    const attachments: AttachmentItem[] = [];
    const digest = createHash('sha256');
    let failed = false;
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      reject(new BadRequestError(message));
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(`Field ${name.slice(0, 40)} is too large`);
      else if (!(name in fields)) fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        digest.update(chunk);
      });
      stream.on('end', () => {
        digest.update(`\0${size}\0`);
        attachments.push({ filename: info.filename ?? 'attachment', content_type: info.mimeType, size });
      });
    });
    parser.on('partsLimit', () => fail('Too many parts in multipart body'));
    parser.on('fieldsLimit', () => fail('Too many fields in multipart body'));
    parser.on('filesLimit', () => fail('Too many attachments'));
    parser.on('error', () => fail('Malformed multipart body'));
    parser.on('close', () => {
      if (!failed) resolve({ fields, attachments, attachmentsDigest: digest.digest('hex') });
    });
    parser.end(body);
  });
}
