import { afterAll, beforeAll } from 'vitest';

/**
 * A resource for the whole test file: `start` runs in `beforeAll`, `stop` in `afterAll`. The function returned gives
 * the resource once started, and names `what` if called before.
 */
export function useForFile<T>(
  what: string,
  start: () => Promise<T>,
  stop: (value: T) => Promise<void>,
): () => T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  });
  afterAll(async () => {
    if (value !== undefined) await stop(value);
  });
  return () => {
    if (value === undefined) throw new Error(`${what} starts in beforeAll`);
    return value;
  };
}
