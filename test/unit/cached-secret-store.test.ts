import { describe, expect, it } from 'vitest';
import { CachedSecretStore } from '../../src/app/cached-secret-store.js';
import type { SecretSource, SecretValue } from '../../src/app/ports.js';
import { DependencyError, ForbiddenError, SecretNotFoundError } from '../../src/domain/errors.js';
import { SteppableClock } from '../helpers/fakes/steppable-clock.js';

class CountingSource implements SecretSource {
  fetches = 0;
  value: SecretValue = { auth_token: 'one' };
  failure: Error | undefined;
  async fetch(): Promise<SecretValue> {
    this.fetches += 1;
    if (this.failure) throw this.failure;
    return this.value;
  }
}

function setup() {
  const clock = new SteppableClock();
  const source = new CountingSource();
  const store = new CachedSecretStore(source, clock, 300_000, 60_000);
  return { source, store, advance: (ms: number) => clock.advance(ms) };
}

describe('CachedSecretStore', () => {
  it('fetches once while fresh, again after the TTL', async () => {
    const { source, store, advance } = setup();

    await store.get('ref');
    await store.get('ref');
    advance(300_001);
    await store.get('ref');

    expect(source.fetches).toBe(2);
  });

  it('shares one in-flight fetch between concurrent callers', async () => {
    const { source, store } = setup();

    await Promise.all([store.get('ref'), store.get('ref'), store.get('ref')]);

    expect(source.fetches).toBe(1);
  });

  it('refreshes a rotated secret, but at most once per minute so forgeries cannot drive fetches', async () => {
    const { source, store, advance } = setup();
    await store.get('ref');
    source.value = { auth_token: 'two' };

    const tooSoon = await store.refresh('ref');
    advance(60_001);
    const rotated = await store.refresh('ref');
    const again = await store.refresh('ref');

    expect(tooSoon).toBeUndefined();
    expect(rotated).toEqual({ auth_token: 'two' });
    expect(again).toBeUndefined();
    expect(await store.get('ref')).toEqual({ auth_token: 'two' });
    expect(source.fetches).toBe(2);
  });

  it('maps a missing secret to 403 and passes the source dependency error through', async () => {
    const { source, store } = setup();
    source.failure = new SecretNotFoundError('ref');
    await expect(store.get('ref')).rejects.toBeInstanceOf(ForbiddenError);
    const unavailable = new DependencyError('secrets');
    source.failure = unavailable;
    await expect(store.get('ref')).rejects.toBe(unavailable);
  });
});
