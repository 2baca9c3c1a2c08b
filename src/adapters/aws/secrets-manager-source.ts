import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretNotFoundError } from '../../app/cached-secret-store.js';
import type { SecretSource, SecretValue } from '../../app/ports.js';

export class SecretsManagerSource implements SecretSource {
  constructor(private readonly client: SecretsManagerClient) {}

  async fetch(reference: string): Promise<SecretValue> {
    try {
      const result = await this.client.send(new GetSecretValueCommand({ SecretId: reference }));
      const parsed: unknown = JSON.parse(result.SecretString ?? '{}');
      if (parsed === null || typeof parsed !== 'object') throw new Error('Secret is not a JSON object');
      return parsed as SecretValue;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) throw new SecretNotFoundError(reference);
      throw error;
    }
  }
}
