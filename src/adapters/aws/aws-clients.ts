import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestDeadline } from '../../app/ports.js';
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
  /** The webhook's deadline: every call made inside one is aborted when it passes (none for tooling). */
  readonly deadline?: RequestDeadline;
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
      options.deadline,
    ),
    sqs: deadlineAware(
      new SQSClient({ ...common, ...(config.endpoints.sqs ? { endpoint: config.endpoints.sqs } : {}) }),
      options.deadline,
    ),
    secrets: deadlineAware(
      new SecretsManagerClient({
        ...common,
        ...(options.secretsEndpoint ? { endpoint: options.secretsEndpoint } : {}),
      }),
      options.deadline,
    ),
  };
}

interface Sender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Every call made inside a webhook's deadline (`RequestDeadline.run`) is aborted when that deadline passes. */
export function deadlineAware<C>(client: C, deadline: RequestDeadline | undefined): C {
  if (!deadline) return client;
  const sender = client as unknown as Sender;
  const send = sender.send.bind(sender);
  sender.send = (command, options) => {
    const abortSignal = options?.abortSignal ?? deadline.current();
    return send(command, abortSignal ? { ...options, abortSignal } : options);
  };
  return client;
}
