import { ForbiddenError, SecretNotFoundError } from '../domain/errors.js';
import { CACHES } from '../resources.js';
import type { Clock, SecretSource, SecretStore, SecretValue } from './ports.js';

interface Entry {
  readonly value: SecretValue;
  readonly fetchedAtMs: number;
}

/**
 * Secrets cached per warm runtime. Hand-written rather than Powertools Parameters because we need one thing it does
 * not have: a forced refresh that is rate-limited per secret, so a flood of forged webhooks costs at most one
 * GetSecretValue per `minRefreshIntervalMs` instead of one per request.
 */
export class CachedSecretStore implements SecretStore {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<SecretValue>>();

  constructor(
    private readonly source: SecretSource,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly minRefreshIntervalMs: number = CACHES.secretMinRefreshIntervalMs,
  ) {}

  async get(reference: string): Promise<SecretValue> {
    const entry = this.entries.get(reference);
    if (entry && this.clock.now().getTime() - entry.fetchedAtMs < this.ttlMs) return entry.value;
    return this.load(reference);
  }

  async refresh(reference: string): Promise<SecretValue | undefined> {
    const entry = this.entries.get(reference);
    if (entry && this.clock.now().getTime() - entry.fetchedAtMs < this.minRefreshIntervalMs) return undefined;
    return this.load(reference);
  }

  private load(reference: string): Promise<SecretValue> {
    const pending = this.inflight.get(reference);
    if (pending) return pending;
    const promise = this.source
      .fetch(reference)
      .then((value) => {
        this.entries.set(reference, { value, fetchedAtMs: this.clock.now().getTime() });
        return value;
      })
      .catch((error: unknown) => {
        // A registry entry naming a secret that does not exist cannot verify anything: treat as forged.
        if (error instanceof SecretNotFoundError) throw new ForbiddenError('unknown-recipient');
        // Anything else the source already translated (DependencyError).
        throw error;
      })
      .finally(() => this.inflight.delete(reference));
    this.inflight.set(reference, promise);
    return promise;
  }
}
