import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createConsumer, type ReplyContext } from '../../examples/replies-consumer.js';

function record(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:WhatsAppRepliesQueue-dev',
    awsRegion: 'eu-west-1',
  };
}

const reply = (messageId: string, version = '1.0') => ({
  meta: {
    version,
    channel_type: 'whatsapp',
    request_id: 'r',
    timestamp: '2026-01-01T00:00:00Z',
    dedupe_key: `company-1#whatsapp#${messageId}`,
  },
  conversation: { conversation_id: 'c1', hand_off_to_human: false, sequence_number: 1 },
  message: { message_id: messageId, body: 'hi', from: '+447700900123' },
});

describe('examples/replies-consumer.ts (docs/consumers.md)', () => {
  it('handles each message id once and reports only the failed records back to SQS', async () => {
    const claimed = new Set<string>();
    const handled: ReplyContext[] = [];
    const consumer = createConsumer({
      claim: async (id) => !claimed.has(id) && Boolean(claimed.add(id)),
      release: async (id) => {
        claimed.delete(id);
      },
      handleReply: async (r) => {
        if (r.message.body === 'explode') throw new Error('downstream failed');
        handled.push(r);
      },
    });
    const failing = { ...reply('SM3'), message: { message_id: 'SM3', body: 'explode', from: '+1' } };
    const event: SQSEvent = {
      Records: [
        record('m1', reply('SM1')),
        record('m2', reply('SM1')), // the same reply delivered twice
        record('m3', failing),
        record('m4', '{not json'),
        record('m5', reply('SM5', '2.0')), // a future major version is not guessed at
      ],
    };

    const response = await consumer(event, {} as Context);

    expect(handled.map((r) => r.message.message_id)).toEqual(['SM1']);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m3', 'm4', 'm5']);
    // The failed message's claim was given back, so its redelivery is processed.
    expect(claimed.has('company-1#whatsapp#SM3')).toBe(false);
  });
});
