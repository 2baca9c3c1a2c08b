import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One deadline per webhook, carried implicitly to every outbound call made on its behalf (AWS SDK clients and the
 * provider APIs read it), so slow-but-successful calls cannot add up past the function timeout: the webhook ends
 * in a clean 503 with its claim released instead of being killed while holding it.
 */
const storage = new AsyncLocalStorage<AbortSignal>();

export function runWithDeadline<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return storage.run(signal, work);
}

/** Clean-up that must still happen after the deadline (releasing a claim, marking a receipt) runs outside it. */
export function outsideDeadline<T>(work: () => Promise<T>): Promise<T> {
  return storage.exit(work);
}

export function currentDeadline(): AbortSignal | undefined {
  return storage.getStore();
}
