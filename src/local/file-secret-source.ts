import { readFile } from 'node:fs/promises';
import { dependencyCall } from '../adapters/dependency-call.js';
import type { SecretSource, SecretValue } from '../app/ports.js';
import { SecretNotFoundError } from '../domain/errors.js';

/**
 * Local stand-in for Secrets Manager: a JSON object `{ credentials_reference: secret }`. Re-read on every fetch
 * (the cache in front of it decides how often), so editing the file simulates a token rotation.
 */
export class FileSecretSource implements SecretSource {
  constructor(private readonly path: string) {}

  fetch(reference: string): Promise<SecretValue> {
    return dependencyCall('secrets', async () => {
      const all: unknown = JSON.parse(await readFile(this.path, 'utf8'));
      if (all === null || typeof all !== 'object') throw new Error(`${this.path} must hold a JSON object`);
      const value = (all as Record<string, unknown>)[reference];
      if (value === undefined) throw new SecretNotFoundError(reference);
      if (value === null || typeof value !== 'object')
        throw new Error(`Secret ${reference} must be a JSON object`);
      return value as SecretValue;
    });
  }
}
