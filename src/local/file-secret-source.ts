import { CachedSecretStore } from '../app/cached-secret-store.js';
import type { Clock, SecretSource, SecretStore, SecretValue } from '../app/ports.js';
import { SecretNotFoundError } from '../domain/errors.js';
import type { SecretsFile } from './secrets-file.js';

/** Local stand-in for Secrets Manager: one secret per `credentials_reference` of the secrets file. */
export class FileSecretSource implements SecretSource {
  constructor(private readonly file: SecretsFile) {}

  async fetch(reference: string): Promise<SecretValue> {
    const value = this.file.current()[reference];
    if (value === undefined) throw new SecretNotFoundError(reference);
    return value as SecretValue;
  }
}

/**
 * The handler's secret cache, started over whenever the secrets file changes: an edit (a rotation, a tenant's new
 * secret) applies to the next webhook instead of after the cache's TTL. On AWS the TTL stands.
 */
class ReloadingSecretStore implements SecretStore {
  private version: number;
  private store: SecretStore;

  constructor(
    private readonly file: SecretsFile,
    private readonly createStore: () => SecretStore,
  ) {
    this.version = file.version;
    this.store = createStore();
  }

  private fresh(): SecretStore {
    this.file.current();
    if (this.file.version !== this.version) {
      this.version = this.file.version;
      this.store = this.createStore();
    }
    return this.store;
  }

  get(reference: string): Promise<SecretValue> {
    return this.fresh().get(reference);
  }

  refresh(reference: string): Promise<SecretValue | undefined> {
    return this.fresh().refresh(reference);
  }
}

/** The handler's usual cache (TTL, rate-limited refresh) over the file, started over when the file changes. */
export function reloadingSecrets(
  file: SecretsFile,
  source: SecretSource,
  clock: Clock,
  ttlMs: number,
): SecretStore {
  return new ReloadingSecretStore(file, () => new CachedSecretStore(source, clock, ttlMs));
}
