import type { Child } from './lib/child.js';
import { type LoadOptions, type LoadResult, runLoad } from './lib/load.js';
import { atLeast, atMost, type Figure } from './lib/report.js';
import { median, percentile, sum } from './lib/stats.js';
import type { EmulatorEndpoints } from './processes/emulators.js';
import type { ServerMode, ServerStats } from './processes/server.js';

/** Conversations per server; each pipeline writes only its own, so none reads items another one shaped. */
export const SENDERS_PER_SERVER = 300;
const RATE = 50;
const ROUNDS = 3;
const RATE_SECONDS = 4;
const MAX_SECONDS = 3;
const SEQUENTIAL_SECONDS = 4;

interface Sample {
  readonly load: LoadResult;
  readonly server: ServerStats;
  readonly emulatorCpuMicros: number;
}

export type Servers = { readonly emulators: Child<EmulatorEndpoints> } & Record<
  ServerMode,
  Child<{ url: string }>
>;

const senderOffset: Record<ServerMode, number> = {
  gateway: 0,
  reference: SENDERS_PER_SERVER,
  protocol: 2 * SENDERS_PER_SERVER,
};

async function measure(
  servers: Servers,
  side: ServerMode,
  options: Omit<LoadOptions, 'senders'>,
): Promise<Sample> {
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

/** Alternating rounds (A, B, A, B, …), so load from other processes on this machine hits every side alike. */
async function rounds<S extends ServerMode>(
  servers: Servers,
  sides: readonly S[],
  options: Omit<LoadOptions, 'senders'>,
): Promise<Record<S, Sample[]>> {
  const samples = Object.fromEntries(sides.map((side) => [side, [] as Sample[]])) as Record<S, Sample[]>;
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of sides) samples[side].push(await measure(servers, side, options));
  }
  return samples;
}

const latencies = (samples: Sample[]) => samples.flatMap((s) => s.load.latencies);
const throughput = (samples: Sample[]) =>
  sum(samples.map((s) => s.load.ok)) / sum(samples.map((s) => s.load.durationSeconds));
const cpu = (samples: Sample[]) => {
  const accepted = sum(samples.map((s) => s.server.accepted));
  return {
    serverMs: sum(samples.map((s) => s.server.cpuMicros)) / accepted / 1000,
    emulatorMs: sum(samples.map((s) => s.emulatorCpuMicros)) / accepted / 1000,
  };
};

export async function measureEndToEnd(servers: Servers): Promise<{ figures: Figure[]; details: unknown }> {
  // Warm-up: JIT, connection pools, registry and secret caches.
  for (const side of ['reference', 'protocol', 'gateway'] as const) {
    await measure(servers, side, { connections: 8, durationSeconds: 2 });
  }
  const fixed = await rounds(servers, ['reference', 'gateway'], {
    connections: 10,
    durationSeconds: RATE_SECONDS,
    rate: RATE,
  });
  const max = await rounds(servers, ['reference', 'protocol', 'gateway'], {
    connections: 16,
    durationSeconds: MAX_SECONDS,
  });
  // One request at a time: none waits behind another, so client minus handler time is the emulation's own.
  const sequential = await measure(servers, 'gateway', {
    connections: 1,
    durationSeconds: SEQUENTIAL_SECONDS,
  });

  const p99 = {
    gateway: percentile(latencies(fixed.gateway), 99),
    reference: percentile(latencies(fixed.reference), 99),
  };
  const rps = {
    gateway: throughput(max.gateway),
    reference: throughput(max.reference),
    protocol: throughput(max.protocol),
  };
  const cpuAtMax = { gateway: cpu(max.gateway), reference: cpu(max.reference), protocol: cpu(max.protocol) };
  const clientMs = median(sequential.load.latencies);
  const handlerMs = median(sequential.server.handlerMs);
  const reference = (value: number, unit: string) => `reference ${value.toFixed(1)} ${unit}`;
  return {
    figures: [
      {
        id: '3a',
        label: `p99 ack latency at ${RATE} rps`,
        value: p99.gateway,
        unit: 'ms',
        baseline: reference(p99.reference, 'ms'),
      },
      {
        id: '3b',
        label: `p99 at ${RATE} rps ÷ reference`,
        value: p99.gateway / p99.reference,
        unit: '×',
        target: atMost(1.2),
        baseline: reference(p99.reference, 'ms'),
      },
      {
        id: '3c',
        label: 'max throughput',
        value: rps.gateway,
        unit: 'req/s',
        baseline: reference(rps.reference, 'req/s'),
      },
      {
        id: '3d',
        label: 'max throughput ÷ reference',
        value: rps.gateway / rps.reference,
        unit: '×',
        target: atLeast(0.9),
        baseline: reference(rps.reference, 'req/s'),
      },
      {
        id: '3e',
        label: 'max throughput ÷ same AWS protocol, minimal code',
        value: rps.gateway / rps.protocol,
        unit: '×',
        baseline: `protocol-only ${rps.protocol.toFixed(1)} req/s`,
      },
      {
        id: '3f',
        label: 'server CPU per webhook ÷ reference (at max)',
        value: cpuAtMax.gateway.serverMs / cpuAtMax.reference.serverMs,
        unit: '×',
        baseline: reference(cpuAtMax.reference.serverMs, 'ms'),
      },
      {
        id: '3g',
        label: 'emulator CPU per webhook ÷ reference (at max)',
        value: cpuAtMax.gateway.emulatorMs / cpuAtMax.reference.emulatorMs,
        unit: '×',
        baseline: `${reference(cpuAtMax.reference.emulatorMs, 'ms')}, protocol-only ${cpuAtMax.protocol.emulatorMs.toFixed(1)} ms`,
      },
      {
        id: '3h',
        label: 'gateway emulation overhead (p50 client ÷ handler, sequential)',
        value: (clientMs / handlerMs - 1) * 100,
        unit: '%',
        target: atMost(10),
        baseline: `handler alone ${handlerMs.toFixed(1)} ms`,
      },
    ],
    details: {
      rate: RATE,
      achievedRate: { gateway: throughput(fixed.gateway), reference: throughput(fixed.reference) },
      p50AtRate: { gateway: median(latencies(fixed.gateway)), reference: median(latencies(fixed.reference)) },
      p99,
      maxThroughput: rps,
      cpuAtFixedRate: { gateway: cpu(fixed.gateway), reference: cpu(fixed.reference) },
      cpuAtMax,
      sequential: { clientP50: clientMs, handlerP50: handlerMs, requests: sequential.load.ok },
      samples: { fixedRate: latencies(fixed.gateway).length, max: sum(max.gateway.map((s) => s.load.ok)) },
    },
  };
}
