import type { RegistryEntry } from '../domain/types.js';
import { CACHES } from '../resources.js';
import type { ChannelRegistry, Clock } from './ports.js';

interface Entry {
  readonly value: RegistryEntry | undefined;
  readonly expiresAtMs: number;
}

/**
 * Short-TTL cache in front of the registry. Misses are cached too, so a flood of requests naming unknown
 * recipients costs one read per address per TTL. Bounded so random `To` values cannot exhaust memory.
 */
export class CachedChannelRegistry implements ChannelRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly source: ChannelRegistry,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries: number = CACHES.registryMaxEntries,
  ) {}

  async find(channelAddress: string): Promise<RegistryEntry | undefined> {
    const nowMs = this.clock.now().getTime();
    const cached = this.entries.get(channelAddress);
    if (cached && cached.expiresAtMs > nowMs) return cached.value;
    // The adapter translates its own failures (DependencyError).
    const value = await this.source.find(channelAddress);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(channelAddress, { value, expiresAtMs: nowMs + this.ttlMs });
    return value;
  }
}
