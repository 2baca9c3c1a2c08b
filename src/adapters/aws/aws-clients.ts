import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { currentDeadline } from '../../app/request-deadline.js';
import type { Config } from '../../config.js';
import { clientDefaults } from './client-defaults.js';

/** Static credentials (local emulators accept any). */
interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface AwsClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly secrets: SecretsManagerClient;
}

export interface AwsClientOptions {
  readonly region?: string;
  readonly credentials?: StaticCredentials;
  readonly secretsEndpoint?: string;
}

/** What the clients are built from: the endpoints and the per-attempt timeout (created once per runtime). */
export type ClientSettings = Pick<Config, 'endpoints' | 'awsCallTimeoutMs'>;

export function createAwsClients(config: ClientSettings, options: AwsClientOptions = {}): AwsClients {
  const common = clientDefaults(config, options);
  const dynamo = new DynamoDBClient({
    ...common,
    ...(config.endpoints.dynamodb ? { endpoint: config.endpoints.dynamodb } : {}),
  });
  return {
    dynamo: deadlineAware(
      DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    ),
    sqs: deadlineAware(
      new SQSClient({ ...common, ...(config.endpoints.sqs ? { endpoint: config.endpoints.sqs } : {}) }),
    ),
    secrets: deadlineAware(
      new SecretsManagerClient({
        ...common,
        ...(options.secretsEndpoint ? { endpoint: options.secretsEndpoint } : {}),
      }),
    ),
  };
}

interface Sender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Every call made inside a webhook's deadline (`runWithDeadline`) is aborted when that deadline passes. */
export function deadlineAware<C>(client: C): C {
  const sender = client as unknown as Sender;
  const send = sender.send.bind(sender);
  sender.send = (command, options) => {
    const abortSignal = options?.abortSignal ?? currentDeadline();
    return send(command, abortSignal ? { ...options, abortSignal } : options);
  };
  return client;
}
