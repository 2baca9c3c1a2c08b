import { createHash } from 'node:crypto';
import { MediaDigestMismatchError, sameSha256 } from '../domain/provider-media-url.js';

class SourceFailure extends Error {}

/**
 * The media body passed through unchanged while it is hashed. `failure.error` records a failure of the *source*
 * (the download breaking off, the size bound, a digest mismatch) so the caller can tell it from a failure of the
 * store consuming it. Each announced digest is compared before the end of the body is passed on: a mismatch makes
 * the upload fail instead of completing, so wrong bytes are never stored.
 */
export async function* digestChecked(
  body: AsyncIterable<Uint8Array>,
  digests: readonly string[],
  failure: { error?: unknown },
): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  const iterator = body[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (error) {
        failure.error = error;
        finished = true;
        throw new SourceFailure('Media download failed', { cause: error });
      }
      if (next.done) break;
      hash.update(next.value);
      yield next.value;
    }
    finished = true;
  } finally {
    // The store gave up early (S3 failed, the deadline passed): release the download's connection now.
    if (!finished) await iterator.return?.().catch(() => undefined);
  }
  const digest = hash.digest();
  if (digests.some((announced) => !sameSha256(announced, digest))) {
    failure.error = new MediaDigestMismatchError();
    throw failure.error;
  }
}
