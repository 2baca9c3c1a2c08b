import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestDeadline } from '../app/ports.js';

/**
 * The `RequestDeadline` port over AsyncLocalStorage: one deadline per webhook, reaching every outbound call made on
 * its behalf (the AWS SDK clients and the provider APIs are given this object by the composition root), so
 * slow-but-successful calls cannot add up past the function timeout: the webhook ends in a clean 503 with its
 * claim released instead of being killed while holding it. Concurrent webhooks (the local stack) each see theirs.
 */
export class AsyncLocalDeadline implements RequestDeadline {
  private readonly storage = new AsyncLocalStorage<AbortSignal>();

  run<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    return this.storage.run(signal, work);
  }

  outside<T>(work: () => Promise<T>): Promise<T> {
    return this.storage.exit(work);
  }

  current(): AbortSignal | undefined {
    return this.storage.getStore();
  }
}
