import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banner } from '../../src/local/banner.js';
import { type LocalStack, startLocalStack } from '../../src/local/local-stack.js';
import { TABLES } from '../../src/resources.js';
import { freePortStackOptions } from '../helpers/test-stack.js';

const CONVERSATION = {
  primary_channel: '+447700900777',
  conversation_id: 'conv-kept-across-restart',
  conversation_status: 'active',
  hand_off_to_human: false,
  channel_type: 'whatsapp',
};

function start(dataDir?: string): Promise<LocalStack> {
  return startLocalStack(freePortStackOptions(dataDir ? { dataDir } : {}));
}

async function withDoc<T>(stack: LocalStack, use: (doc: DynamoDBDocumentClient) => Promise<T>): Promise<T> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  try {
    return await use(doc);
  } finally {
    doc.destroy();
  }
}

const key = { primary_channel: CONVERSATION.primary_channel, conversation_id: CONVERSATION.conversation_id };
const table = TABLES.conversations.localName;

describe('LOCAL_DATA_DIR', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replies-data-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a conversation written before a restart, and the banner says where', async () => {
    const first = await start(dir);
    try {
      expect(banner(first, { seeded: true })).toContain(`data kept in ${join(dir, 'dynamodb')}`);
      await withDoc(first, (doc) => doc.send(new PutCommand({ TableName: table, Item: CONVERSATION })));
    } finally {
      await first.stop();
    }

    const second = await start(dir);
    try {
      const { Item } = await withDoc(second, (doc) =>
        doc.send(new GetCommand({ TableName: table, Key: key })),
      );
      expect(Item).toEqual(CONVERSATION);
    } finally {
      await second.stop();
    }
  });

  it('without it the data lives in memory, the banner says so, and a restart starts empty', async () => {
    const first = await start();
    try {
      expect(banner(first, { seeded: true })).toContain('data in memory, lost on exit');
      await withDoc(first, (doc) => doc.send(new PutCommand({ TableName: table, Item: CONVERSATION })));
    } finally {
      await first.stop();
    }
    const second = await start();
    try {
      const { Item } = await withDoc(second, (doc) =>
        doc.send(new GetCommand({ TableName: table, Key: key })),
      );
      expect(Item).toBeUndefined();
    } finally {
      await second.stop();
    }
  });
});
