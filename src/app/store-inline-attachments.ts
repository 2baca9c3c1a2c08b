import busboy from 'busboy';
import { declaredContentType, safeFilename } from '../domain/attachment-filename.js';
import { BadRequestError } from '../domain/errors.js';
import { MULTIPART_LIMITS } from '../resources.js';
import type { AttachmentStore, StoredAttachment } from './ports.js';

export interface InlineAttachmentsInput {
  /** The request's Content-Type header (with its boundary); the body was already parsed and verified once. */
  readonly contentTypeHeader: string;
  readonly body: Buffer;
  /** S3 key of the i-th file part (`attachmentKey` with the conversation's company and id). */
  readonly keyFor: (index: number) => string;
  readonly maxBytesPerAttachment: number;
}

/**
 * Second pass over a verified inline (`forward()`) Mailgun post: streams each file part into the store as busboy
 * produces it, one at a time, in the order of the first pass's `attachments`. Runs after verification and
 * conversation selection (keys need the company and conversation), before the message is queued; any failure
 * rejects, so nothing is queued without its attachments.
 */
export function storeInlineAttachments(
  store: AttachmentStore,
  input: InlineAttachmentsInput,
): Promise<StoredAttachment[]> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': input.contentTypeHeader },
        limits: MULTIPART_LIMITS,
        defParamCharset: 'utf8',
      });
    } catch {
      reject(new BadRequestError('Malformed multipart body: missing or invalid boundary'));
      return;
    }
    const stored: StoredAttachment[] = [];
    let chain: Promise<void> = Promise.resolve();
    let failure: unknown;
    let index = 0;
    parser.on('file', (_name, stream, info) => {
      const position = index++;
      chain = chain.then(async () => {
        if (failure !== undefined) {
          stream.resume();
          return;
        }
        try {
          const contentType = declaredContentType(info.mimeType);
          const result = await store.put({
            key: input.keyFor(position),
            contentType,
            body: stream,
            maxBytes: input.maxBytesPerAttachment,
          });
          stored.push({
            filename: safeFilename(info.filename, position),
            content_type: contentType,
            ...result,
          });
        } catch (error) {
          failure = error;
          stream.resume();
        }
      });
    });
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      chain.then(() => (failure === undefined ? resolve(stored) : reject(failure)));
    };
    parser.on('error', (error) => {
      failure ??= new BadRequestError('Malformed multipart body', { cause: error });
      finish();
    });
    parser.on('close', finish);
    parser.end(input.body);
  });
}
