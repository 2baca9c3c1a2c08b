import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { type Emulators, startEmulators } from '../../src/local/emulators.js';
import { tablePlans } from '../../src/local/provision-plan.js';
import { deployedTableName } from '../../src/resources.js';
import { type CliResult, spawnCli } from './cli.js';

/** dynalite alone on a free port (no SQS), and a DynamoDB client on it. */
async function startDynamo(region = 'us-east-1'): Promise<{ emulators: Emulators; client: DynamoDBClient }> {
  const emulators = await startEmulators({ dynamodbPort: 0, sqsPort: false });
  const client = new DynamoDBClient({
    endpoint: emulators.dynamodbEndpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return { emulators, client };
}

/**
 * A "deployed stage" for the CLI's `--stage NAME`: dynalite holding the `<name>-<stage>` tables, reached the way AWS
 * is — the spawned CLI gets no endpoint flag, only what the SDK's default chain reads (the standard AWS_* variables).
 */
export function useStageTables(stage: string): {
  readonly endpoint: string;
  /** The AWS_* variables that point the SDK's default chain at the stage (for an in-process CLI). */
  readonly env: Readonly<Record<string, string>>;
  cli(...argv: string[]): Promise<CliResult>;
} {
  let env: Record<string, string> | undefined;
  let emulators: Emulators | undefined;
  beforeAll(async () => {
    const started = await startDynamo('eu-west-1');
    emulators = started.emulators;
    for (const plan of tablePlans((key) => deployedTableName(key, stage))) {
      await started.client.send(new CreateTableCommand(plan.input));
    }
    started.client.destroy();
    env = {
      AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
    };
  });
  afterAll(async () => {
    await emulators?.stop();
  });
  return {
    get endpoint() {
      if (!emulators) throw new Error('the stage tables start in beforeAll');
      return emulators.dynamodbEndpoint;
    },
    get env() {
      if (!env) throw new Error('the stage tables start in beforeAll');
      return env;
    },
    cli(...argv) {
      if (!env) throw new Error('the stage tables start in beforeAll');
      return spawnCli(argv, env);
    },
  };
}

/** `registry add --stage STAGE` of an address for company `acme` with its credentials reference, then `extra`. */
export function acmeRegistryAddArgs(
  stage: string,
  address: string,
  credentialsRef: string,
  ...extra: string[]
): string[] {
  return [
    'registry',
    'add',
    '--stage',
    stage,
    '--address',
    address,
    '--company-id',
    'acme',
    '--credentials-ref',
    credentialsRef,
    ...extra,
  ];
}
