export class SnsFetchError extends Error {
  override readonly name = 'SnsFetchError';
}

export interface BoundedGetOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** The webhook's deadline, when one is running. */
  readonly deadline?: AbortSignal | undefined;
}

/**
 * GET with a timeout (and the webhook's deadline), no redirects (a redirect could leave the allowed host), and a
 * byte cap enforced while reading, so a hostile or broken server can neither hang nor flood the function.
 */
export async function boundedGet(url: string, options: BoundedGetOptions): Promise<Buffer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const deadline = options.deadline;
  const response = await fetch(url, {
    method: 'GET',
    redirect: 'error',
    signal: deadline ? AbortSignal.any([timeout, deadline]) : timeout,
  }).catch((error: unknown) => {
    throw new SnsFetchError(`SNS endpoint unreachable: ${error instanceof Error ? error.name : 'error'}`);
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new SnsFetchError(`SNS endpoint answered ${response.status}`);
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
    throw new SnsFetchError(`SNS response failed: ${error instanceof Error ? error.name : 'error'}`);
  }
  return Buffer.concat(chunks);
}
