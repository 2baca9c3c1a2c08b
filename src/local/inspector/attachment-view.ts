import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { StoredAttachment } from '../../app/ports.js';
import { scrubTruncated } from '../../domain/mask.js';
import type { RecordedExchange } from './exchange-log.js';
import { InspectorError, type InspectorStack } from './inspector-stack.js';

function storedOf(entry: RecordedExchange): StoredAttachment[] {
  if (entry.outcome?.verdict !== 'queued') return [];
  const context = entry.outcome.context as { message?: { attachments?: StoredAttachment[] } } | undefined;
  return context?.message?.attachments ?? [];
}

/**
 * The attachments an exchange stored in S3, with their checksum and a download link. The link names the exchange
 * and the position only: the key comes from the recorded context, so no request can read any other object.
 */
export function attachmentsView(entry: RecordedExchange) {
  return storedOf(entry).map((a, index) => ({
    filename: scrubTruncated(a.filename, 255),
    contentType: a.content_type,
    size: a.size,
    sha256: a.sha256,
    key: a.s3.key,
    download: `/_local/api/exchanges/${encodeURIComponent(entry.id)}/attachments/${index}`,
  }));
}

/** Streams one stored attachment from the stack's S3 (local only: `/_local/` routes sit behind the host guard). */
export async function downloadAttachment(
  stack: InspectorStack,
  entry: RecordedExchange,
  index: number,
  res: ServerResponse,
): Promise<void> {
  const stored = storedOf(entry)[index];
  if (!stored) throw new InspectorError(404, 'no such attachment');
  try {
    const object = await stack.s3.send(
      new GetObjectCommand({ Bucket: stored.s3.bucket, Key: stored.s3.key }),
    );
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(stored.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      'X-Checksum-Sha256': stored.sha256,
    });
    await new Promise<void>((resolve, reject) => {
      const body = object.Body as Readable;
      Readable.from(body).pipe(res).on('finish', resolve).on('error', reject);
    });
  } catch (error) {
    if (res.headersSent) res.destroy();
    else throw new InspectorError(502, `S3 answered: ${(error as Error).name}`);
  }
}
