import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbConversations } from '../../src/adapters/aws/dynamodb-conversations.js';
import { DynamoDbTtlClaims } from '../../src/adapters/aws/dynamodb-ttl-claims.js';
import type { ConversationKey, Conversations, FallbackLedger, ReceiptClaim } from '../../src/app/ports.js';
import type { ConversationRecord } from '../../src/domain/types.js';
import { demoConversationItem } from '../../src/kit/demo-data.js';
import { type Emulators, startEmulators } from '../../src/local/emulators.js';
import { provisionTables } from '../../src/local/provision.js';
import { TABLES } from '../../src/resources.js';
import { startDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { InMemoryConversations } from '../helpers/fakes/in-memory-conversations.js';
import { InMemoryTtlClaims } from '../helpers/fakes/in-memory-ports.js';

/**
 * The unit tests trust the in-memory fakes to behave like the DynamoDB adapters: the same claim / complete / release
 * and TTL-claim sequences run against both, over dynalite and the real SDK, and must give the same answers.
 */
let emulators: Emulators;
let ddbLocal: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
let doc: DynamoDBDocumentClient;
let counter = 0;

beforeAll(async () => {
  // dynalite by default; AWS's DynamoDB Local under `npm run test:dynamodb-local`, like the other integration suites.
  ddbLocal = process.env.TEST_DYNAMODB === 'dynamodb-local' ? await startDynamoDbLocal() : undefined;
  emulators = await startEmulators({ dynamodbPort: ddbLocal ? false : 0, sqsPort: false });
  const client = new DynamoDBClient({
    endpoint: ddbLocal?.endpoint ?? emulators.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await provisionTables(client);
  doc = DynamoDBDocumentClient.from(client);
});
afterAll(async () => {
  doc.destroy();
  await emulators.stop();
  await ddbLocal?.stop();
});

interface Subject {
  readonly conversations: Conversations;
  seed(item: Record<string, unknown>): Promise<void>;
}

const subjects: Record<string, () => Subject> = {
  'in-memory fake': () => {
    const conversations = new InMemoryConversations();
    return {
      conversations,
      seed: async (item) => conversations.put({ ...item, receipts: {} } as unknown as ConversationRecord),
    };
  },
  'DynamoDB adapter': () => ({
    conversations: new DynamoDbConversations(doc, TABLES.conversations.localName),
    seed: async (item) => {
      await doc.send(new PutCommand({ TableName: TABLES.conversations.localName, Item: item }));
    },
  }),
};

const NOW = Date.parse('2026-03-02T09:00:00.000Z');
const claim = (attribute: string, until: number, nowMs = NOW): ReceiptClaim => ({
  receiptAttribute: attribute,
  inProgressUntilMs: until,
  nowMs,
  staleReceipts: [],
  summary: { message_id: 'SM1', received_at: new Date(nowMs).toISOString(), channel_type: 'whatsapp' },
});

async function scenario(subject: Subject) {
  counter += 1;
  const key: ConversationKey = { primary_channel: `+4477009${10000 + counter}`, conversation_id: 'conv-1' };
  await subject.seed(demoConversationItem('whatsapp', key.primary_channel, key.conversation_id));
  const c = subject.conversations;
  const receipts = async () => (await c.findBySender(key.primary_channel))[0]?.receipts ?? {};
  const steps: unknown[] = [];
  steps.push(await c.claimMessage(key, claim('rx_a', NOW + 10_000.25)));
  steps.push(await c.claimMessage(key, claim('rx_a', NOW + 10_000.25))); // the SDK retrying a landed write
  steps.push(await c.claimMessage(key, claim('rx_a', NOW + 20_000.5))); // another attempt, claim still live
  steps.push(await c.claimMessage(key, claim('rx_a', NOW + 40_000.5, NOW + 30_000))); // live claim expired
  await c.releaseMessage(key, 'rx_a', NOW + 10_000.25); // a stale release leaves the new owner's claim
  steps.push(await receipts());
  await c.releaseMessage(key, 'rx_a', NOW + 40_000.5);
  steps.push(await receipts());
  steps.push(await c.claimMessage(key, claim('rx_a', NOW + 50_000.75)));
  await c.completeMessage(key, 'rx_a', NOW + 1_000);
  steps.push(await c.claimMessage(key, claim('rx_a', NOW + 60_000.75)));
  steps.push(await receipts());
  steps.push(await c.claimMessage({ ...key, conversation_id: 'conv-missing' }, claim('rx_b', NOW + 1)));
  await expect(c.completeMessage({ ...key, conversation_id: 'conv-missing' }, 'rx_b', NOW)).rejects.toThrow();
  return steps;
}

async function ttlScenario(ledger: FallbackLedger) {
  counter += 1;
  const key = `whatsapp#contract#${counter}`;
  return [
    await ledger.claim(key, NOW, 60),
    await ledger.claim(key, NOW + 59_000, 60),
    await ledger.claim(key, NOW + 60_000, 60),
    await ledger.release(key).then(() => ledger.claim(key, NOW + 61_000, 60)),
    // A STOP lands while that slot's fallback fails: releasing the slot must not erase the opt-out.
    await ledger.setOptOut(key, true, NOW + 62_000).then(() => ledger.release(key)),
    await ledger.claim(key, NOW + 200_000, 60),
    // START clears it; the sender can be answered again.
    await ledger.setOptOut(key, false, NOW + 201_000).then(() => ledger.claim(key, NOW + 202_000, 60)),
  ];
}

describe('in-memory fakes answer like the DynamoDB adapters', () => {
  it('conversations: claim, retry of a landed write, live and expired claims, release, complete, gone', async () => {
    const fake = await scenario(subjects['in-memory fake']?.() as Subject);
    const real = await scenario(subjects['DynamoDB adapter']?.() as Subject);

    expect(fake).toEqual(real);
    expect(real.slice(0, 4)).toEqual([
      { outcome: 'claimed', sequenceNumber: 1 },
      { outcome: 'claimed', sequenceNumber: 1 },
      { outcome: 'in-progress' },
      { outcome: 'claimed', sequenceNumber: 2 },
    ]);
    expect(real.at(-1)).toEqual({ outcome: 'gone' });
  });

  it('fallback ledger and replay guard: one holder until expiry or release', async () => {
    const table = TABLES.fallbackLedger;
    const dynamo = new DynamoDbTtlClaims(doc, {
      dependency: 'fallback-ledger',
      tableName: table.localName,
      keyAttribute: table.partitionKey.name,
      ttlAttribute: table.ttlAttribute,
    });

    const fake = await ttlScenario(new InMemoryTtlClaims());
    const real = await ttlScenario(dynamo);

    expect(fake).toEqual(real);
    expect(real).toEqual([true, false, true, true, undefined, false, true]);
  });
});
