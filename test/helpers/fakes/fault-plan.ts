import { DependencyError } from '../../../src/domain/errors.js';

/** When an injected failure strikes: before the call has any effect, or after it took effect (the answer was lost). */
export type FaultTiming = 'before' | 'after';

interface Fault {
  readonly error: Error;
  readonly timing: FaultTiming;
  remaining: number;
}

/** Per-method failures a fake port throws on demand, and the calls it saw (what a test asserts on). */
export class FaultPlan<Method extends string> {
  readonly calls: { readonly method: Method; readonly args: readonly unknown[] }[] = [];
  private readonly faults = new Map<Method, Fault>();

  /**
   * The next `times` calls of `method` throw `error` (`Infinity`: every call from now on). The default is what a real
   * adapter throws for an SDK failure: a DependencyError (adapters translate their own errors).
   */
  fail(method: Method, options: { error?: Error; timing?: FaultTiming; times?: number } = {}): void {
    this.faults.set(method, {
      error: options.error ?? new DependencyError(method, { cause: new Error(`injected ${method} failure`) }),
      timing: options.timing ?? 'before',
      remaining: options.times ?? 1,
    });
  }

  count(method: Method): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  /** Records the call and runs it, throwing where a fault is planned. */
  async run<T>(method: Method, args: readonly unknown[], effect: () => T | Promise<T>): Promise<T> {
    this.calls.push({ method, args });
    const fault = this.faults.get(method);
    const strikes = fault !== undefined && fault.remaining > 0;
    if (fault && strikes) fault.remaining -= 1;
    if (strikes && fault.timing === 'before') throw fault.error;
    const result = await effect();
    if (strikes && fault.timing === 'after') throw fault.error;
    return result;
  }
}
