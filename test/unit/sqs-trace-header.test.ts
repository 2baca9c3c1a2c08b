import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsMessageQueue } from '../../src/adapters/aws/sqs-message-queue.js';
import type { QueueKey } from '../../src/resources.js';

const URLS: Record<QueueKey, string> = {
  whatsappReplies: 'https://sqs.local/w',
  smsReplies: 'https://sqs.local/s',
  emailReplies: 'https://sqs.local/e',
  handoff: 'https://sqs.local/h',
};

/** Records what would be sent; the real client's wire format is covered by the integration suites. */
function recordingClient(): { client: SQSClient; sent: SendMessageCommand['input'][] } {
  const sent: SendMessageCommand['input'][] = [];
  const client = {
    send: async (command: SendMessageCommand) => {
      sent.push(command.input);
      return {};
    },
  } as unknown as SQSClient;
  return { client, sent };
}

const SAMPLED = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('SqsMessageQueue trace propagation', () => {
  it('forwards a sampled X-Ray header as the AWSTraceHeader system attribute', async () => {
    const { client, sent } = recordingClient();
    await new SqsMessageQueue(client, URLS, () => SAMPLED).send('smsReplies', '{}', {
      message_id: 'SM1',
      dedupe_key: 'c#sms#SM1',
    });
    expect(sent[0]?.MessageSystemAttributes).toEqual({
      AWSTraceHeader: { DataType: 'String', StringValue: SAMPLED },
    });
    expect(sent[0]?.QueueUrl).toBe(URLS.smsReplies);
  });

  it.each([
    ['tracing off (unsampled)', SAMPLED.replace('Sampled=1', 'Sampled=0')],
    ['no header (local stack)', undefined],
  ])('sends no system attribute when %s', async (_case, header) => {
    const { client, sent } = recordingClient();
    await new SqsMessageQueue(client, URLS, () => header).send('handoff', '{}', {
      message_id: 'SM2',
      dedupe_key: 'c#whatsapp#SM2',
    });
    expect(sent[0]).not.toHaveProperty('MessageSystemAttributes');
    expect(sent[0]?.MessageAttributes?.message_id?.StringValue).toBe('SM2');
  });
});
