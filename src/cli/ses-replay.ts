import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { parseSnsEnvelope, type SnsEnvelope } from '../domain/sns-envelope.js';
import { sendHttp } from '../kit/http-request.js';
import { snsDeliveryHeaders } from '../local/ses/ses-delivery.js';
import { CliError } from './cli-error.js';

/** What became of one parked notification. */
export interface ReplayResult {
  readonly messageId: string;
  /** `replayed`: 2xx, deleted from the DLQ. `republished`: handed back to the SNS topic, deleted. `kept`: left. */
  readonly result: 'replayed' | 'republished' | 'kept';
  readonly status?: number;
  readonly detail?: string;
}

export interface DlqReplayOptions {
  readonly sqs: SQSClient;
  readonly queueName: string;
  /** The stage's `/email` URL (its public URL, or the local gateway's). */
  readonly emailUrl: string;
  /** At most this many notifications. */
  readonly max: number;
  /** Republishes a body that is not a signed SNS envelope (AWS: to the stage's SES inbound topic). */
  readonly republish?: (message: string) => Promise<void>;
}

async function queueUrl(sqs: SQSClient, name: string): Promise<string> {
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    return QueueUrl ?? '';
  } catch (error) {
    if ((error as { name?: string }).name?.includes('QueueDoesNotExist'))
      throw new CliError(`no queue named ${name}: is SES inbound deployed on this stage?`);
    throw error;
  }
}

/** The DLQ body as SNS would have delivered it; undefined when it is no signed envelope. */
function envelopeOf(body: string): SnsEnvelope | undefined {
  try {
    const envelope = parseSnsEnvelope(body, 'Notification');
    return envelope.Signature ? envelope : undefined;
  } catch {
    return undefined;
  }
}

async function replayOne(message: Message, options: DlqReplayOptions): Promise<ReplayResult> {
  const body = message.Body ?? '';
  const envelope = envelopeOf(body);
  const messageId = envelope?.MessageId ?? message.MessageId ?? '';
  if (!envelope) {
    if (!options.republish)
      return {
        messageId,
        result: 'kept',
        detail: 'not a signed SNS envelope (pass --topic-arn to republish it)',
      };
    await options.republish(body);
    return { messageId, result: 'republished' };
  }
  // The envelope as SNS signed it: the gateway verifies it like any delivery and claims the email's Message-ID,
  // so a notification processed before it was parked is acknowledged as a duplicate, never queued twice.
  const response = await sendHttp({
    url: options.emailUrl,
    method: 'POST',
    headers: Object.entries(snsDeliveryHeaders(envelope)),
    body: Buffer.from(body),
    connectTimeoutMs: 5_000,
    readTimeoutMs: 30_000,
  });
  if (response.status < 200 || response.status >= 300)
    return { messageId, result: 'kept', status: response.status, detail: response.body.slice(0, 200) };
  return { messageId, result: 'replayed', status: response.status };
}

/**
 * Drains the SES notification DLQ into the stage's normal processing: each parked notification is POSTed to `/email`
 * again and deleted only after a 2xx. A refused one stays parked (and is reported), so nothing is lost by a replay;
 * the first failure that is not the notification's own (5xx, network) stops the run.
 */
export async function replayDeadLetters(options: DlqReplayOptions): Promise<ReplayResult[]> {
  const url = await queueUrl(options.sqs, options.queueName);
  const results: ReplayResult[] = [];
  const seen = new Set<string>();
  while (results.length < options.max) {
    const { Messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, options.max - results.length),
        // Long enough for the POSTs of this batch; a kept message reappears for the next run.
        VisibilityTimeout: 120,
        WaitTimeSeconds: 0,
      }),
    );
    const fresh = Messages.filter((m) => !seen.has(m.MessageId ?? ''));
    if (fresh.length === 0) break;
    for (const message of fresh) {
      seen.add(message.MessageId ?? '');
      const result = await replayOne(message, options);
      results.push(result);
      if (result.result !== 'kept')
        await options.sqs.send(
          new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
        );
      else if (result.status !== undefined && result.status >= 500) return results;
    }
  }
  return results;
}
