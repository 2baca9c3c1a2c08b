import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbChannelRegistry } from '../../src/adapters/aws/dynamodb-registry.js';
import { type Emulators, startEmulators } from '../../src/local/emulators.js';
import { provisionTables } from '../../src/local/provision.js';
import { TABLES } from '../../src/resources.js';

/** The registry's `mailgun_api_host`, read over dynalite: only Mailgun's two API hosts make a usable entry. */
let emulators: Emulators;
let doc: DynamoDBDocumentClient;
let registry: DynamoDbChannelRegistry;

beforeAll(async () => {
  emulators = await startEmulators({ dynamodbPort: 0, sqsPort: false });
  const client = new DynamoDBClient({
    endpoint: emulators.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await provisionTables(client);
  doc = DynamoDBDocumentClient.from(client);
  registry = new DynamoDbChannelRegistry(doc, TABLES.companyChannels.localName);
});
afterAll(async () => {
  doc.destroy();
  await emulators.stop();
});

async function entryWith(address: string, host: unknown) {
  await doc.send(
    new PutCommand({
      TableName: TABLES.companyChannels.localName,
      Item: {
        channel_address: address,
        channel_type: 'email',
        company_id: 'c',
        project_id: 'p',
        company_name: 'Company',
        credentials_reference: 'email-credentials/c/p/mailgun',
        ...(host === undefined ? {} : { mailgun_api_host: host }),
      },
    }),
  );
  return registry.find(address);
}

describe('registry mailgun_api_host', () => {
  it.each(['api.mailgun.net', 'api.eu.mailgun.net', undefined])('%s: a usable entry', async (host) => {
    const entry = await entryWith(`ok-${String(host)}@mail.example.com`, host);
    expect(entry?.mailgun_api_host).toBe(host);
  });

  it.each(['attacker.example', 'api.mailgun.net.attacker.example', 'API.EU.MAILGUN.NET', 42])(
    '%s: the entry is unusable (the API key could go elsewhere)',
    async (host) => {
      expect(await entryWith(`bad-${String(host)}@mail.example.com`, host)).toBeUndefined();
    },
  );
});
