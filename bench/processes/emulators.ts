/**
 * Child process: dynalite, local-aws-sqs and a fake Secrets Manager, provisioned from src/resources.ts and seeded
 * with the demo data plus one conversation per bench sender. Runs apart from the load generator and the servers
 * under test, so their CPU does not slow the emulators down (or the other way round) more than the OS must.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../../src/config.js';
import { RECEIPT_PREFIX } from '../../src/domain/receipts.js';
import { demoConversationItem, seedDemoData } from '../../src/kit/demo-data.js';
import { startEmulators } from '../../src/local/emulators.js';
import { DEMO_SECRETS_FILE } from '../../src/local/local-stack.js';
import { provisionQueues, provisionTables } from '../../src/local/provision.js';
import { QUEUE_URL_ENV, type QueueKey } from '../../src/resources.js';
import { childArgs, serveChild } from '../lib/child.js';
import { startFakeSecretsManager } from '../lib/fake-secrets-manager.js';
import { itemSizeBytes } from '../lib/item-size.js';
import { benchSender } from '../lib/whatsapp.js';

export interface EmulatorEndpoints {
  readonly dynamodb: string;
  readonly sqs: string;
  readonly secretsManager: string;
  readonly queueUrls: Record<QueueKey, string>;
}

const { senders } = childArgs<{ senders: number }>();
const emulators = await startEmulators({ dynamodbPort: 0, sqsPort: 0 });
const secrets = await startFakeSecretsManager(DEMO_SECRETS_FILE);
const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const dynamo = new DynamoDBClient({ ...local, endpoint: emulators.dynamodbEndpoint });
const doc = DynamoDBDocumentClient.from(dynamo);
const sqs = new SQSClient({ ...local, endpoint: emulators.sqsEndpoint });

await provisionTables(dynamo);
const queueUrls = await provisionQueues(sqs, 0);
const config = loadConfig(
  Object.fromEntries(
    (Object.keys(queueUrls) as QueueKey[]).map((key) => [QUEUE_URL_ENV[key], queueUrls[key]]),
  ),
);
await seedDemoData(doc, config);
await seedBenchConversations(senders);

async function seedBenchConversations(count: number): Promise<void> {
  const now = new Date();
  const items = Array.from({ length: count }, (_, index) =>
    demoConversationItem('whatsapp', benchSender(index), `conv-bench-${index}`, { now }),
  );
  for (let start = 0; start < items.length; start += 25) {
    const batch = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    await doc.send(new BatchWriteCommand({ RequestItems: { [config.tables.conversations]: batch } }));
  }
}

export interface ConversationSize {
  /** Billed size of the item as it is now, bytes. */
  readonly bytes: number;
  /** Of which receipts (`rx_…` attributes): how many, and their bytes. */
  readonly receipts: number;
  readonly receiptBytes: number;
}

/** Billed size of each bench conversation as it is now (receipts, summary, counters), by sender index. */
async function conversationSizes(): Promise<ConversationSize[]> {
  const sizes: ConversationSize[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: config.tables.conversations, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      const index = /^conv-bench-(\d+)$/.exec(String(item.conversation_id))?.[1];
      if (index === undefined) continue;
      const receipts = Object.fromEntries(
        Object.entries(item).filter(([name]) => name.startsWith(RECEIPT_PREFIX)),
      );
      sizes[Number(index)] = {
        bytes: itemSizeBytes(item),
        receipts: Object.keys(receipts).length,
        receiptBytes: itemSizeBytes(receipts),
      };
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return sizes;
}

let cpu = process.cpuUsage();
/** CPU time the emulators used since the previous call, µs: the AWS-side cost of what the servers did. */
function cpuMicros(): number {
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  return used.user + used.system;
}

const ready: EmulatorEndpoints = {
  dynamodb: emulators.dynamodbEndpoint,
  sqs: emulators.sqsEndpoint,
  secretsManager: secrets.url,
  queueUrls,
};
serveChild(ready, { conversationSizes, cpuMicros }, async () => {
  doc.destroy();
  sqs.destroy();
  secrets.server.close();
  await emulators.stop();
});
