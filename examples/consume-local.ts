/**
 * `npm run consume`: examples/replies-consumer.ts run against the local stack's queues (npm start), to see what a
 * consumer receives: each context object, its attachments read back from the local S3 (sha256 checked), and
 * duplicates skipped on `meta.dedupe_key`. `--once` empties the queues and exits; without it, it keeps polling.
 * Finds the stack as the CLI does: `--url`, else PORT / LOCAL_BASE_PORT, else http://127.0.0.1:3000.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSRecord } from 'aws-lambda';
import { pickCliEnv } from '../src/cli/cli-env.js';
import { discoverStack, gatewayFor } from '../src/cli/stack-target.js';
import { createConsumer, type ReplyContext } from './replies-consumer.js';

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

function sqsRecord(message: Message, queueName: string): SQSRecord {
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? '0',
      SenderId: message.Attributes?.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queueName}`,
    awsRegion: 'us-east-1',
  };
}

/** Reads each attachment from S3 as a consumer would, and checks it against the context's sha256. */
async function readAttachments(s3: S3Client, reply: ReplyContext): Promise<string[]> {
  const lines: string[] = [];
  for (const attachment of reply.message.attachments ?? []) {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: attachment.s3.bucket, Key: attachment.s3.key }),
    );
    const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const check = sha256 === attachment.sha256 ? 'sha256 ok' : `sha256 MISMATCH (${sha256})`;
    lines.push(
      `  attachment ${attachment.filename} (${attachment.content_type}, ${bytes.length} bytes) ${check}`,
    );
  }
  return lines;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, once: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('Usage: npm run consume -- [--once] [--url <gateway URL>]');
    return 0;
  }
  const stack = await discoverStack(gatewayFor(values, pickCliEnv(process.env)));
  const sqs = new SQSClient({ ...LOCAL, endpoint: stack.endpoints.sqs });
  const s3 = new S3Client({ ...LOCAL, endpoint: stack.endpoints.s3, forcePathStyle: true });
  const claimed = new Set<string>();
  let handled = 0;
  let duplicates = 0;
  const consume = createConsumer({
    // In memory here; in production a conditional PutItem with a TTL (docs/consumers.md).
    claim: async (key) => {
      if (claimed.has(key)) {
        duplicates++;
        console.log(`duplicate ${key}: skipped`);
        return false;
      }
      claimed.add(key);
      return true;
    },
    release: async (key) => {
      claimed.delete(key);
    },
    handleReply: async (reply) => {
      handled++;
      const route = reply.processing.route ?? 'ai';
      const why = reply.processing.handoff_reason ? ` (${reply.processing.handoff_reason})` : '';
      console.log(
        `── ${reply.meta.channel_type} → ${route}${why}  ${reply.meta.dedupe_key ?? reply.message.message_id}`,
      );
      console.log(JSON.stringify(reply, null, 2));
      for (const line of await readAttachments(s3, reply)) console.log(line);
    },
  });
  const queues = Object.entries(stack.queues);
  let stopping = false;
  process.once('SIGINT', () => {
    stopping = true;
  });
  if (!values.once)
    console.error(`consuming ${queues.length} queues at ${stack.endpoints.sqs} (Ctrl-C stops)`);
  try {
    while (!stopping) {
      let received = 0;
      for (const [, url] of queues) {
        const name = url.slice(url.lastIndexOf('/') + 1);
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: values.once ? 0 : 1,
            AttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) continue;
        received += Messages.length;
        const records = Messages.map((m) => sqsRecord(m, name));
        const { batchItemFailures } = await consume({ Records: records }, {} as Context);
        const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
        const done = records.filter((r) => !failed.has(r.messageId));
        for (const f of failed) console.log(`failed ${f}: left on ${name} (SQS redelivers it)`);
        if (done.length > 0)
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: url,
              Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
            }),
          );
      }
      if (values.once && received === 0) break;
    }
  } finally {
    sqs.destroy();
    s3.destroy();
  }
  console.log(
    `consumed ${handled} message${handled === 1 ? '' : 's'}, ${duplicates} duplicate${duplicates === 1 ? '' : 's'} skipped`,
  );
  return 0;
}

// The AWS SDK's Node 20 notice would precede the first context (as in bin/replies-webhooks.mjs).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`consume: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
