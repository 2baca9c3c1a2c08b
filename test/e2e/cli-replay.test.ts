import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { buildSesDelivery } from '../../src/local/ses/ses-delivery.js';
import { signSnsEnvelope } from '../../src/local/ses/sns-signer.js';
import { LOCAL_SES_TOPIC_ARN } from '../../src/local/ses/start-local-ses.js';
import { SES } from '../../src/resources.js';
import { cli as runInProcess, spawnCli } from '../helpers/cli.js';
import { localS3Client } from '../helpers/local-s3.js';
import { drainQueue } from '../helpers/queues.js';
import { useInspectedStack } from '../helpers/test-stack.js';

/**
 * `replies-webhooks replay ses` against the local inspected.stack. SNS itself is not emulated: the test parks a notification
 * the way SNS does after its last retry (the signed envelope as the body of a message on SesNotifications-DLQ),
 * with its raw message in the inbound bucket, then replays it into the stage's normal processing.
 */
/** In-process (runCli); the `--stage` case is spawned, since it reads AWS's default credential chain from its env. */
const cli = (...args: string[]) => runInProcess(args);

const inspected = useInspectedStack();
let dlqUrl: string;

beforeAll(async () => {
  const created = await inspected.sqs.send(
    new CreateQueueCommand({ QueueName: SES.notificationDeadLetterQueueName }),
  );
  dlqUrl = created.QueueUrl ?? '';
});

const RECIPIENT = DEMO.sesEmailAddress.replace('@', '+conv-demo-email-ai@');

/** A received email as SES stores and notifies it; the envelope signed by the stack's SNS stand-in. */
async function receivedEmail(body: string): Promise<{ envelope: string; key: string }> {
  const delivery = buildSesDelivery({
    topicArn: LOCAL_SES_TOPIC_ARN,
    certificateUrl: inspected.stack.ses.sns.certificateUrl,
    recipient: RECIPIENT,
    source: DEMO.emailSender,
    mime: {
      from: DEMO.emailSender,
      to: RECIPIENT,
      subject: 'Re: your application',
      messageId: `<${body.replace(/\W/g, '')}@candidate.example>`,
      text: body,
      attachments: [],
    },
  });
  const object = delivery.object;
  if (!object) throw new Error('expected an S3 action');
  const s3 = localS3Client(inspected.stack.s3Endpoint);
  try {
    await s3.send(new PutObjectCommand({ Bucket: object.bucket, Key: object.key, Body: delivery.raw }));
  } finally {
    s3.destroy();
  }
  return {
    envelope: JSON.stringify(signSnsEnvelope(delivery.envelope, inspected.stack.ses.sns.identity)),
    key: object.key,
  };
}

const park = (envelope: string) =>
  inspected.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: envelope }));
const replay = (...args: string[]) =>
  cli('replay', 'ses', '--url', inspected.stack.gatewayUrl, '--json', ...args);
/** Messages on the DLQ, visible or hidden by a receive: deleted ones only are gone. */
async function parked(): Promise<number> {
  const { Attributes } = await inspected.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlqUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  // The emulator counts a received (in-flight) message in both numbers, SQS in the second only: the larger of the
  // two is the number of messages not yet deleted on both.
  return Math.max(
    Number(Attributes?.ApproximateNumberOfMessages),
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
  );
}
const queued = async () =>
  (await drainQueue(inspected.sqs, inspected.stack.queueUrls.emailReplies)) as Array<{
    message: { body: string };
  }>;

describe('replay ses', () => {
  it('a notification parked in the DLQ is processed exactly once, and a second parking of it is a duplicate', async () => {
    const { envelope } = await receivedEmail('Parked while the gateway was down');
    await park(envelope);

    const first = await replay();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      kept: 0,
      results: [{ result: 'replayed', status: 200 }],
    });
    expect((await queued()).map((m) => m.message.body)).toEqual(['Parked while the gateway was down']);
    expect(await parked()).toBe(0);

    // SNS delivered it after all and parked a copy too: the gateway's Message-ID claim makes the replay a no-op.
    await park(envelope);
    const again = await replay();
    expect(JSON.parse(again.stdout)).toMatchObject({
      kept: 0,
      results: [{ result: 'replayed', status: 200 }],
    });
    expect(await queued()).toEqual([]);
    expect(await parked()).toBe(0);
  });

  it('a notification the gateway refuses stays parked, reported, exit 1', async () => {
    const { envelope } = await receivedEmail('Tampered');
    // Altered after SNS signed it: the signature no longer verifies.
    await park(JSON.stringify({ ...JSON.parse(envelope), Subject: 'Altered' }));
    const result = await replay();
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ kept: 1, results: [{ result: 'kept', status: 403 }] });
    expect(await queued()).toEqual([]);
    // Still parked (hidden for the replay's visibility timeout, as after any SQS receive).
    expect(await parked()).toBe(1);
  });

  it("--stage NAME: the stage's own DLQ through the default AWS credential chain, replayed to the URL given", async () => {
    // The "deployed stage" is the local SQS, reached the way AWS is: only AWS_* variables, no endpoint flag.
    const created = await inspected.sqs.send(
      new CreateQueueCommand({ QueueName: `${SES.notificationDeadLetterQueueName}-prod` }),
    );
    const { envelope } = await receivedEmail('Parked in prod');
    await inspected.sqs.send(new SendMessageCommand({ QueueUrl: created.QueueUrl, MessageBody: envelope }));
    const aws = {
      AWS_ENDPOINT_URL_SQS: inspected.stack.sqsEndpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
    };
    const result = await spawnCli(
      ['replay', 'ses', '--stage', 'prod', '--url', inspected.stack.gatewayUrl, '--json'],
      aws,
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({
      kept: 0,
      results: [{ result: 'replayed', status: 200 }],
    });
    expect((await queued()).map((m) => m.message.body)).toEqual(['Parked in prod']);
  });

  it('a raw message in the inbound bucket whose notification is gone goes to a human (no SES verdicts)', async () => {
    const { key } = await receivedEmail('Notification lost');
    const result = await replay('--object', key, '--to', RECIPIENT, '--from', DEMO.emailSender);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ results: [{ result: 'replayed', status: 200 }] });
    expect(await queued()).toEqual([]);
    const handoff = (await drainQueue(inspected.sqs, inspected.stack.queueUrls.handoff)) as Array<{
      message: { body: string };
      handoff?: { reason?: string };
    }>;
    expect(handoff).toHaveLength(1);
    expect(JSON.stringify(handoff[0])).toContain('Notification lost');
    // No SES scan was made (PROCESSING_FAILED): not a clean scan, so the reason is `virus` and nothing is stored.
    expect(JSON.stringify(handoff[0])).toContain('"handoff_reason":"virus"');
  });
});
