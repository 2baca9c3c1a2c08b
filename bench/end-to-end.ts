import type { Child } from './lib/child.js';
import { type LoadOptions, type LoadResult, runLoad } from './lib/load.js';
import { atLeast, atMost, type Figure } from './lib/report.js';
import { median, percentile, sum } from './lib/stats.js';
import type { EmulatorEndpoints } from './processes/emulators.js';
import type { ServerStats } from './processes/server.js';

/** Conversations per server; each pipeline writes only its own, so neither reads items the other shaped. */
export const SENDERS_PER_SERVER = 300;
const RATE = 50;
const ROUNDS = 3;
const RATE_SECONDS = 5;
const MAX_SECONDS = 4;
const SEQUENTIAL_SECONDS = 4;

type Side = 'gateway' | 'reference';

interface Sample {
  readonly load: LoadResult;
  readonly server: ServerStats;
  readonly emulatorCpuMicros: number;
}

export interface Servers {
  readonly emulators: Child<EmulatorEndpoints>;
  readonly gateway: Child<{ url: string }>;
  readonly reference: Child<{ url: string }>;
}

const senderOffset: Record<Side, number> = { gateway: 0, reference: SENDERS_PER_SERVER };

async function measure(servers: Servers, side: Side, options: Omit<LoadOptions, 'senders'>): Promise<Sample> {
  const server = servers[side];
  await server.call('take');
  await servers.emulators.call('cpuMicros');
  const load = await runLoad(server.ready.url, {
    ...options,
    senders: SENDERS_PER_SERVER,
    senderOffset: senderOffset[side],
  });
  const stats = await server.call<ServerStats>('take');
  const emulatorCpuMicros = await servers.emulators.call<number>('cpuMicros');
  // A 200 must mean "queued now": a duplicate or failure would make the comparison meaningless.
  if (load.failed > 0 || load.errors > 0 || stats.duplicates > 0 || stats.accepted < load.ok) {
    throw new Error(
      `${side}: ${load.failed} non-200, ${load.errors} errors, ${stats.duplicates} duplicates, ` +
        `${stats.accepted} queued for ${load.ok} answered 200`,
    );
  }
  return { load, server: stats, emulatorCpuMicros };
}

/** Alternating rounds (reference, gateway, reference, …), so load from other processes hits both sides alike. */
async function rounds(
  servers: Servers,
  options: Omit<LoadOptions, 'senders'>,
): Promise<Record<Side, Sample[]>> {
  const samples: Record<Side, Sample[]> = { gateway: [], reference: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of ['reference', 'gateway'] as const)
      samples[side].push(await measure(servers, side, options));
  }
  return samples;
}

const latencies = (samples: Sample[]) => samples.flatMap((s) => s.load.latencies);
const throughput = (samples: Sample[]) =>
  sum(samples.map((s) => s.load.ok)) / sum(samples.map((s) => s.load.durationSeconds));
const perRequest = (samples: Sample[], pick: (s: Sample) => number) =>
  sum(samples.map(pick)) / sum(samples.map((s) => s.server.accepted));

export async function measureEndToEnd(servers: Servers): Promise<{ figures: Figure[]; details: unknown }> {
  // Warm-up: JIT, connection pools, registry and secret caches of both servers.
  for (const side of ['reference', 'gateway'] as const) {
    await measure(servers, side, { connections: 8, durationSeconds: 2 });
  }
  const fixed = await rounds(servers, { connections: 10, durationSeconds: RATE_SECONDS, rate: RATE });
  const max = await rounds(servers, { connections: 16, durationSeconds: MAX_SECONDS });
  // One request at a time: no request waits behind another, so client minus handler time is the emulation's own.
  const sequential = await measure(servers, 'gateway', {
    connections: 1,
    durationSeconds: SEQUENTIAL_SECONDS,
  });

  const p99 = {
    gateway: percentile(latencies(fixed.gateway), 99),
    reference: percentile(latencies(fixed.reference), 99),
  };
  const rps = { gateway: throughput(max.gateway), reference: throughput(max.reference) };
  const clientMs = median(sequential.load.latencies);
  const handlerMs = median(sequential.server.handlerMs);
  const achieved = { gateway: throughput(fixed.gateway), reference: throughput(fixed.reference) };
  const cpu = (samples: Sample[]) => ({
    serverMicrosPerRequest: perRequest(samples, (s) => s.server.cpuMicros),
    emulatorMicrosPerRequest: perRequest(samples, (s) => s.emulatorCpuMicros),
  });
  const cpuAtMax = { gateway: cpu(max.gateway), reference: cpu(max.reference) };
  return {
    figures: [
      {
        id: '3a',
        label: `p99 ack latency at ${RATE} rps`,
        value: p99.gateway,
        unit: 'ms',
        baseline: `reference ${p99.reference.toFixed(1)} ms`,
      },
      {
        id: '3b',
        label: `p99 at ${RATE} rps ÷ reference`,
        value: p99.gateway / p99.reference,
        unit: '×',
        target: atMost(1.2),
        baseline: `reference ${p99.reference.toFixed(1)} ms`,
      },
      {
        id: '3c',
        label: 'max throughput',
        value: rps.gateway,
        unit: 'req/s',
        baseline: `reference ${rps.reference.toFixed(1)} req/s`,
      },
      {
        id: '3d',
        label: 'max throughput ÷ reference',
        value: rps.gateway / rps.reference,
        unit: '×',
        target: atLeast(0.9),
        baseline: `reference ${rps.reference.toFixed(1)} req/s`,
      },
      {
        id: '3e',
        label: 'server CPU per webhook ÷ reference (at max)',
        value: cpuAtMax.gateway.serverMicrosPerRequest / cpuAtMax.reference.serverMicrosPerRequest,
        unit: '×',
        baseline: `reference ${(cpuAtMax.reference.serverMicrosPerRequest / 1000).toFixed(1)} ms CPU`,
      },
      {
        id: '3f',
        label: 'emulator CPU per webhook ÷ reference (at max)',
        value: cpuAtMax.gateway.emulatorMicrosPerRequest / cpuAtMax.reference.emulatorMicrosPerRequest,
        unit: '×',
        baseline: `reference ${(cpuAtMax.reference.emulatorMicrosPerRequest / 1000).toFixed(1)} ms CPU`,
      },
      {
        id: '3g',
        label: 'gateway emulation overhead (p50 client ÷ handler, sequential)',
        value: (clientMs / handlerMs - 1) * 100,
        unit: '%',
        target: atMost(10),
        baseline: `handler alone ${handlerMs.toFixed(1)} ms`,
      },
    ],
    details: {
      rate: RATE,
      achievedRate: achieved,
      p50AtRate: { gateway: median(latencies(fixed.gateway)), reference: median(latencies(fixed.reference)) },
      sequential: { clientP50: clientMs, handlerP50: handlerMs, requests: sequential.load.ok },
      p99,
      maxThroughput: rps,
      cpuAtFixedRate: { gateway: cpu(fixed.gateway), reference: cpu(fixed.reference) },
      cpuAtMax,
      samples: { fixed: latencies(fixed.gateway).length, max: sum(max.gateway.map((s) => s.load.ok)) },
    },
  };
}
