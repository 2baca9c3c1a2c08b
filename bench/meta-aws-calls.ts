import { randomBytes, randomInt } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DEMO, demoConversationItem } from '../src/kit/demo-data.js';
import { TABLES } from '../src/resources.js';
import { FakeMeta, metaSignatureHeader, metaWebhookBody, textMessage } from '../test/helpers/fake-meta.js';
import { startCountedStack } from './lib/counted-stack.js';
import { atMost, type Figure } from './lib/report.js';
import { runAlone } from './lib/run-alone.js';

const BATCHES = [1, 5] as const;
const ROUNDS = 4;

/**
 * AWS calls per Meta WhatsApp message through the real local stack (the handler the Lambda exports, the same
 * adapters), counted at proxies in front of DynamoDB, SQS and S3 after a warm-up, with a stand-in Graph API: text
 * messages in batches of 1 and 5, an image (stored in S3), and forged POSTs (none may reach AWS).
 */
export async function measureMetaAwsCalls(): Promise<{ figures: Figure[]; details: unknown }> {
  const meta = new FakeMeta(DEMO.meta.accessToken);
  await meta.start();
  const counted = await startCountedStack({ metaGraphApiBaseUrl: meta.graphBaseUrl });
  const { stack, proxies } = counted;
  const senders = async (n: number): Promise<string[]> => {
    const waIds: string[] = [];
    for (let i = 0; i < n; i++) {
      const waId = `447700${randomInt(900000, 999999)}`;
      const item = {
        ...demoConversationItem('whatsapp', `+${waId}`, `conv-bench-meta-${randomInt(1e9)}`),
        company_channel: DEMO.meta.channelAddress,
        credentials_reference: DEMO.meta.credentials,
      };
      await seedDoc.send(new PutCommand({ TableName: TABLES.conversations.localName, Item: item }));
      waIds.push(waId);
    }
    return waIds;
  };
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  const seedDoc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: counted.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const post = async (messages: readonly unknown[], secret: string = DEMO.meta.appSecret) => {
    const body = metaWebhookBody([[{ phoneNumberId: DEMO.meta.phoneNumberId, messages }]]);
    const response = await fetch(`${stack.gatewayUrl}/whatsapp/meta`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Hub-Signature-256': metaSignatureHeader(body, secret),
      },
      body,
    });
    return response.status;
  };
  const reset = () => {
    for (const proxy of Object.values(proxies)) proxy.reset();
  };
  const count = (messages: number) => {
    const calls: Record<string, number> = {};
    for (const [service, proxy] of Object.entries(proxies))
      for (const op of proxy.calls) {
        // S3 speaks REST, not X-Amz-Target: the proxy cannot name the operation (here: PutObject).
        const name = `${service}:${service === 's3' ? 'S3 request' : op}`;
        calls[name] = (calls[name] ?? 0) + 1;
      }
    const breakdown = Object.fromEntries(Object.entries(calls).map(([op, n]) => [op, n / messages]));
    return { perMessage: Object.values(calls).reduce((a, b) => a + b, 0) / messages, breakdown };
  };
  const text = (b: Record<string, number>) =>
    Object.entries(b)
      .map(([op, n]) => `${op.split(':')[1]} ${Number(n.toFixed(2))}`)
      .join(', ');
  try {
    // Warm-up: registry entry, app secret and tenant token cached; connections open.
    const [warm] = await senders(1);
    if ((await post([textMessage(warm ?? '', 'warm')])) !== 200) throw new Error('Meta warm-up refused');
    const figures: Figure[] = [];
    const details: Record<string, unknown> = {};
    for (const n of BATCHES) {
      const waIds = await senders(n * ROUNDS);
      reset();
      for (let round = 0; round < ROUNDS; round++) {
        const batch = waIds.slice(round * n, (round + 1) * n).map((w) => textMessage(w, `batch of ${n}`));
        if ((await post(batch)) !== 200) throw new Error('Meta batch refused');
      }
      const row = count(n * ROUNDS);
      details[`batch${n}`] = row;
      figures.push({
        id: `22a/${n}`,
        label: `AWS calls per Meta text message, ${n} message(s) per POST`,
        value: row.perMessage,
        unit: 'calls',
        // Query the sender's conversations, claim UpdateItem, SendMessage, completion UpdateItem.
        target: atMost(4),
        baseline: text(row.breakdown),
      });
    }
    const imageSenders = await senders(ROUNDS);
    reset();
    for (const waId of imageSenders) {
      const mediaId = String(randomInt(1e9, 9e9));
      meta.media.set(mediaId, { bytes: randomBytes(100 * 1024), mimeType: 'image/jpeg' });
      const image = {
        ...textMessage(waId, ''),
        type: 'image',
        text: undefined,
        image: { id: mediaId, mime_type: 'image/jpeg' },
      };
      if ((await post([image])) !== 200) throw new Error('Meta image refused');
    }
    const calls = (
      id: string,
      label: string,
      row: ReturnType<typeof count>,
      limit: number,
      baseline: string,
    ) => {
      details[id] = row;
      figures.push({ id, label, value: row.perMessage, unit: 'calls', target: atMost(limit), baseline });
    };
    const image = count(ROUNDS);
    calls('22b', 'AWS calls per Meta image message (100 KB stored in S3)', image, 5, text(image.breakdown));
    const forgedSenders = await senders(1);
    reset();
    for (let i = 0; i < ROUNDS; i++)
      if ((await post([textMessage(forgedSenders[0] ?? '', 'forged')], 'not-the-app-secret')) !== 403)
        throw new Error('a forged Meta POST was not refused');
    calls('22c', 'AWS calls per forged Meta POST', count(ROUNDS), 0, 'refused 403 before any read');
    return { figures, details };
  } finally {
    seedDoc.destroy();
    await counted.stop();
    await meta.stop();
  }
}

await runAlone(import.meta.url, measureMetaAwsCalls);
