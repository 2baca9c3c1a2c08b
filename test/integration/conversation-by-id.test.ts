import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbConversations } from '../../src/adapters/aws/dynamodb-conversations.js';
import { type Emulators, startEmulators } from '../../src/local/emulators.js';
import { provisionTables } from '../../src/local/provision.js';
import { TABLES } from '../../src/resources.js';

const TABLE = TABLES.conversations.localName;
let emulators: Emulators;
let raw: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let conversations: DynamoDbConversations;

beforeAll(async () => {
  emulators = await startEmulators({ dynamodbPort: 0, sqsPort: false });
  raw = new DynamoDBClient({
    endpoint: emulators.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await provisionTables(raw);
  doc = DynamoDBDocumentClient.from(raw);
  conversations = new DynamoDbConversations(doc, TABLE);
  const item = (primary: string, id: string, company: string) => ({
    primary_channel: primary,
    conversation_id: id,
    company_id: company,
    channel_type: 'email',
    conversation_status: 'active',
    hand_off_to_human: false,
    'rcpt#abc': -1,
  });
  for (const put of [
    item('candidate@example.com', 'conv-by-id-1', 'company-cucumber'),
    item('candidate@example.com', 'conv-by-id-2', 'company-cucumber'),
    item('other@example.com', 'conv-by-id-other', 'company-other'),
    // The same id under two senders cannot be resolved safely.
    item('a@example.com', 'conv-dup', 'company-cucumber'),
    item('b@example.com', 'conv-dup', 'company-cucumber'),
  ]) {
    await doc.send(new PutCommand({ TableName: TABLE, Item: put }));
  }
});
afterAll(async () => {
  raw.destroy();
  await emulators.stop();
});

describe('finding a conversation by id through the keys-only conversation_id index', () => {
  it('returns the whole conversation (read from the base table) whoever its primary sender is', async () => {
    const found = await conversations.findById('conv-by-id-2');
    expect(found).toMatchObject({
      primary_channel: 'candidate@example.com',
      conversation_id: 'conv-by-id-2',
      company_id: 'company-cucumber',
      channel_type: 'email',
    });
  });

  it('returns another company’s conversation too: the caller must compare company_id (never across companies)', async () => {
    expect((await conversations.findById('conv-by-id-other'))?.company_id).toBe('company-other');
  });

  it('returns nothing for an unknown, empty or ambiguous id', async () => {
    expect(await conversations.findById('conv-missing')).toBeUndefined();
    expect(await conversations.findById('')).toBeUndefined();
    expect(await conversations.findById('conv-dup')).toBeUndefined();
  });
});
