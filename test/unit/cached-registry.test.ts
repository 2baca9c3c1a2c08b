import { describe, expect, it } from 'vitest';
import { CachedChannelRegistry } from '../../src/app/cached-registry.js';
import { DependencyError } from '../../src/domain/errors.js';
import type { RegistryEntry } from '../../src/domain/types.js';
import { demoRegistryItems } from '../../src/kit/demo-data.js';
import { InMemoryRegistry } from '../helpers/fakes/in-memory-ports.js';
import { SteppableClock } from '../helpers/fakes/steppable-clock.js';

function setup(maxEntries?: number) {
  const source = new InMemoryRegistry();
  const [entry] = demoRegistryItems() as unknown as RegistryEntry[];
  if (!entry) throw new Error('no demo registry');
  source.put(entry);
  const clock = new SteppableClock();
  const registry = new CachedChannelRegistry(source, clock, 60_000, maxEntries);
  return { source, clock, registry, address: entry.channel_address };
}

describe('CachedChannelRegistry', () => {
  it('reads each address once per TTL, hits and misses alike', async () => {
    const { source, clock, registry, address } = setup();

    const hit = await registry.find(address);
    await registry.find(address);
    const miss = await registry.find('+15005550006');
    await registry.find('+15005550006');
    clock.advance(60_001);
    await registry.find(address);

    expect(hit?.channel_address).toBe(address);
    expect(miss).toBeUndefined();
    expect(source.faults.calls.map((call) => call.args[0])).toEqual([address, '+15005550006', address]);
  });

  it('stays bounded: a flood of random addresses clears the cache instead of growing it', async () => {
    const { source, registry, address } = setup(2);

    await registry.find(address);
    await registry.find('a');
    await registry.find('b');
    await registry.find(address);

    expect(source.faults.count('find')).toBe(4);
  });

  it("passes the adapter's dependency error (503) through and caches nothing", async () => {
    const { source, registry, address } = setup();
    source.faults.fail('find');

    await expect(registry.find(address)).rejects.toBeInstanceOf(DependencyError);
    expect(await registry.find(address)).toBeDefined();
  });
});
