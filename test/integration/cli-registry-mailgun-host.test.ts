import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/paths.js';
import { type Emulators, startEmulators } from '../../src/local/emulators.js';
import { tablePlans } from '../../src/local/provision-plan.js';
import { deployedTableName } from '../../src/resources.js';

const run = promisify(execFile);
const STAGE = 'prod';
let emulators: Emulators;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulators = await startEmulators({ dynamodbPort: 0, sqsPort: false });
  const client = new DynamoDBClient({
    endpoint: emulators.dynamodbEndpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  for (const plan of tablePlans((key) => deployedTableName(key, STAGE))) {
    await client.send(new CreateTableCommand(plan.input));
  }
  client.destroy();
  const { AWS_PROFILE: _profile, NODE_OPTIONS: _options, ...inherited } = process.env;
  env = {
    ...inherited,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example',
  };
});
afterAll(async () => {
  await emulators?.stop();
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/replies-webhooks.mjs', ...argv], {
      cwd: REPO_ROOT,
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const add = (address: string, ...extra: string[]) =>
  cli(
    'registry',
    'add',
    '--stage',
    STAGE,
    '--address',
    address,
    '--company-id',
    'acme',
    '--credentials-ref',
    'email-credentials/acme/hiring/mailgun',
    ...extra,
    '--json',
  );

describe('registry add --mailgun-api-host', () => {
  it("records an EU tenant's Mailgun API host", async () => {
    const added = await add('replies@mg.eu.example.com', '--mailgun-api-host', 'api.eu.mailgun.net');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).added).toMatchObject({ mailgun_api_host: 'api.eu.mailgun.net' });
  });

  it('refuses any other host, and SES entries', async () => {
    const other = await add('replies@mg.example.com', '--mailgun-api-host', 'mailgun.attacker.example');
    expect(other.code).toBe(2);
    const ses = await add(
      'replies@ses.example.com',
      '--provider',
      'ses',
      '--mailgun-api-host',
      'api.mailgun.net',
    );
    expect(ses.code).toBe(2);
  });
});
