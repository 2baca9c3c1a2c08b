import { median } from './stats.js';

export type Op = () => unknown | Promise<unknown>;

export interface Interleaved {
  /** Median over rounds of each variant's µs per op. */
  readonly microsPerOp: Record<string, number>;
  /** Median over rounds of (variant / reference) measured within the same round. */
  readonly ratioTo: (variant: string, reference: string) => number;
}

async function timeBlock(op: Op, ops: number): Promise<{ micros: number; sink: number }> {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    // Awaiting only real promises keeps sync variants free of microtask overhead.
    const result = op();
    const value = result instanceof Promise ? await result : result;
    sink += typeof value === 'string' ? value.length : value ? 1 : 0;
  }
  return { micros: Number(process.hrtime.bigint() - started) / 1e3 / ops, sink };
}

/**
 * Runs the variants in alternating blocks (A B C A B C …) so that machine noise — other processes, CPU frequency,
 * GC — hits every variant alike; ratios are taken within a round, where conditions were the same.
 */
export async function interleave(
  variants: Record<string, Op>,
  options: { rounds: number; opsPerRound: number; warmupRounds: number },
): Promise<Interleaved & { sink: number }> {
  const names = Object.keys(variants);
  const perRound = new Map<string, number[]>(names.map((name) => [name, []]));
  let sink = 0;
  for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
    for (const name of names) {
      const block = await timeBlock(variants[name] as Op, options.opsPerRound);
      sink += block.sink;
      if (round >= options.warmupRounds) perRound.get(name)?.push(block.micros);
    }
  }
  const microsPerOp = Object.fromEntries(names.map((name) => [name, median(perRound.get(name) ?? [])]));
  const ratioTo = (variant: string, reference: string) => {
    const a = perRound.get(variant) ?? [];
    const b = perRound.get(reference) ?? [];
    return median(a.map((value, i) => value / (b[i] ?? Number.NaN)));
  };
  return { microsPerOp, ratioTo, sink };
}
