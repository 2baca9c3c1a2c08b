import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { runCliCaptured } from '../helpers/cli.js';
import { drainQueue } from '../helpers/queues.js';
import { useInspectedStack } from '../helpers/test-stack.js';

const inspected = useInspectedStack();

const sendDemo = (body: string) =>
  postTwilioWebhook({
    url: `${inspected.stack.gatewayUrl}/whatsapp`,
    authToken: DEMO.authToken,
    params: inboundParams({
      From: `whatsapp:${DEMO.aiSender}`,
      To: DEMO.whatsappNumber,
      AccountSid: DEMO.accountSid,
      Body: body,
    }),
  });

describe('queues peek', () => {
  it('six peeks leave every receive count at zero and nothing in the dead-letter queue', async () => {
    expect((await sendDemo('peek me')).status).toBe(200);

    for (let i = 0; i < 6; i++) {
      const peek = await runCliCaptured(['queues', 'peek', 'whatsapp', '--url', inspected.stack.gatewayUrl]);
      expect(peek.code).toBe(0);
    }

    const dlq = await runCliCaptured([
      'queues',
      'peek',
      'WhatsAppRepliesQueue-DLQ',
      '--url',
      inspected.stack.gatewayUrl,
      '--json',
    ]);
    expect(JSON.parse(dlq.stdout).queues[0]).toMatchObject({ queue: 'WhatsAppRepliesQueue-DLQ', depth: 0 });
    // The first receive ever: SQS says it has been received once (this one), so no peek counted as a receive.
    const { Messages = [] } = await inspected.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: inspected.stack.queueUrls.whatsappReplies,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        AttributeNames: ['All'],
      }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    await inspected.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: inspected.stack.queueUrls.whatsappReplies,
        ReceiptHandle: Messages[0]?.ReceiptHandle,
      }),
    );
  });

  it('prints the context object the gateway queued, addresses masked unless --unmasked', async () => {
    expect((await sendDemo('show my context')).status).toBe(200);

    const [masked, unmasked] = [
      await runCliCaptured(['queues', 'peek', 'whatsapp', '--url', inspected.stack.gatewayUrl]),
      await runCliCaptured([
        'queues',
        'peek',
        'whatsapp',
        '--url',
        inspected.stack.gatewayUrl,
        '--unmasked',
        '--json',
      ]),
    ];

    expect(masked.stdout).toContain('WhatsAppRepliesQueue: 1 message');
    expect(masked.stdout).toMatch(/"dedupe_key": "company-cucumber#whatsapp#SM[0-9a-f]+"/);
    expect(masked.stdout).toContain('"route": "ai"');
    expect(masked.stdout).not.toContain(DEMO.aiSender);
    const context = JSON.parse(unmasked.stdout).queues[0].messages[0].context;
    expect(context).toMatchObject({ message: { from: DEMO.aiSender, body: 'show my context' } });
    await drainQueue(inspected.sqs, inspected.stack.queueUrls.whatsappReplies);
  });

  it('says why a dead-letter queue holds messages (CLI and inspector API)', async () => {
    const { QueueUrl } = await inspected.sqs.send(
      new GetQueueUrlCommand({ QueueName: 'SmsRepliesQueue-DLQ' }),
    );
    await inspected.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{}' }));

    const peek = await runCliCaptured(['queues', 'peek', 'sms-dlq', '--url', inspected.stack.gatewayUrl]);
    const api = (await (await fetch(`${inspected.stack.gatewayUrl}/_local/api/queues`)).json()) as {
      queues: { name: string; deadLetterReason: string | null }[];
    };

    expect(peek.stdout).toContain('SmsRepliesQueue-DLQ: 1 message — received 5 times without being deleted');
    const sms = api.queues.find((q) => q.name === 'SmsRepliesQueue');
    expect(sms?.deadLetterReason).toContain('a consumer failed or ran past the 120 s visibility timeout');
    expect(api.queues.find((q) => q.name === 'HandoffQueue')?.deadLetterReason).toBeNull();
    await drainQueue(inspected.sqs, QueueUrl ?? '');
  });
});
