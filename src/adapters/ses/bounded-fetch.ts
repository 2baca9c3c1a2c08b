import { currentDeadline } from '../../app/request-deadline.js';

export class SnsFetchError extends Error {
  override readonly name = 'SnsFetchError';
  /**
   * `answered`: the host answered, but not with what was asked for (a 4xx, a redirect, too large, not a certificate)
   * — asking again gives the same answer. `unavailable`: no answer, a timeout or a 5xx — it may work later.
   */
  constructor(
    message: string,
    readonly kind: 'answered' | 'unavailable' = 'answered',
  ) {
    super(message);
  }
}

export interface BoundedGetOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/**
 * GET with a timeout (and the webhook's deadline), no redirects (a redirect could leave the allowed host), and a
 * byte cap enforced while reading, so a hostile or broken server can neither hang nor flood the function.
 */
export async function boundedGet(url: string, options: BoundedGetOptions): Promise<Buffer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const deadline = currentDeadline();
  const response = await fetch(url, {
    method: 'GET',
    redirect: 'error',
    signal: deadline ? AbortSignal.any([timeout, deadline]) : timeout,
  }).catch((error: unknown) => {
    // A redirect refused by `redirect: 'error'` is an answer; a connection failure or timeout is not.
    const redirected = error instanceof TypeError && /redirect/i.test(String(error.cause ?? ''));
    throw new SnsFetchError(
      `SNS endpoint unreachable: ${error instanceof Error ? error.name : 'error'}`,
      redirected ? 'answered' : 'unavailable',
    );
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new SnsFetchError(
      `SNS endpoint answered ${response.status}`,
      response.status >= 500 ? 'unavailable' : 'answered',
    );
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new SnsFetchError('SNS response too large');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new SnsFetchError('SNS response too large');
      }
      chunks.push(Buffer.from(value));
    }
  } catch (error) {
    if (error instanceof SnsFetchError) throw error;
    throw new SnsFetchError(
      `SNS response failed: ${error instanceof Error ? error.name : 'error'}`,
      'unavailable',
    );
  }
  return Buffer.concat(chunks);
}
