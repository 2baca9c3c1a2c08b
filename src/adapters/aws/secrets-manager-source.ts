import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretSource, SecretValue } from '../../app/ports.js';
import { SecretNotFoundError } from '../../domain/errors.js';
import { dependencyCall } from '../dependency-call.js';

export class SecretsManagerSource implements SecretSource {
  constructor(private readonly client: SecretsManagerClient) {}

  fetch(reference: string): Promise<SecretValue> {
    return dependencyCall('secrets', async () => {
      const result = await this.client
        .send(new GetSecretValueCommand({ SecretId: reference }))
        .catch((error: unknown) => {
          throw error instanceof ResourceNotFoundException ? new SecretNotFoundError(reference) : error;
        });
      const parsed: unknown = JSON.parse(result.SecretString ?? '{}');
      if (parsed === null || typeof parsed !== 'object') throw new Error('Secret is not a JSON object');
      return parsed as SecretValue;
    });
  }
}
