import type { Metrics } from '../app/ports.js';

/** Local metrics sink: counts by name (the inspector and tests read them) instead of printing EMF. */
export class InMemoryMetrics implements Metrics {
  readonly counts = new Map<string, number>();
  readonly timings = new Map<string, number[]>();

  count(name: string, value = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }

  milliseconds(name: string, value: number): void {
    const list = this.timings.get(name) ?? [];
    if (list.length >= 1000) list.shift();
    list.push(value);
    this.timings.set(name, list);
  }

  flush(): void {}

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }
}
