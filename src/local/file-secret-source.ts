import { readFile } from 'node:fs/promises';
import { SecretNotFoundError } from '../app/cached-secret-store.js';
import type { SecretSource, SecretValue } from '../app/ports.js';

/**
 * Local stand-in for Secrets Manager: a JSON object `{ credentials_reference: secret }`. Re-read on every fetch
 * (the cache in front of it decides how often), so editing the file simulates a token rotation.
 */
export class FileSecretSource implements SecretSource {
  constructor(private readonly path: string) {}

  async fetch(reference: string): Promise<SecretValue> {
    const all: unknown = JSON.parse(await readFile(this.path, 'utf8'));
    if (all === null || typeof all !== 'object') throw new Error(`${this.path} must hold a JSON object`);
    const value = (all as Record<string, unknown>)[reference];
    if (value === undefined) throw new SecretNotFoundError(reference);
    if (value === null || typeof value !== 'object')
      throw new Error(`Secret ${reference} must be a JSON object`);
    return value as SecretValue;
  }
}
