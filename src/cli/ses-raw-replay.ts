import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { sendHttp } from '../kit/http-request.js';
import { buildSesDelivery, snsDeliveryHeaders } from '../local/ses/ses-delivery.js';
import { SES } from '../resources.js';
import { CliError } from './cli-error.js';
import type { ReplayResult } from './ses-replay.js';
import { signWithLocalSns } from './ses-webhook.js';
import { discoverStack, type Gateway } from './stack-target.js';

/**
 * Replays a raw message SES stored in the inbound bucket but whose notification is gone (expired from the DLQ, or
 * never delivered): a new SES receipt notification for that object. SES's SPF/DKIM/DMARC, spam and virus verdicts
 * are not in the object, so the notification says PROCESSING_FAILED for each: the gateway cannot trust the sender
 * and hands the message to a human (`HandoffQueue`, sender_unverified) instead of the AI.
 */
export interface RawReplay {
  /** The object key SES wrote (`inbound/<SES message id>`). */
  readonly key: string;
  /** The registered address the message was sent to (RCPT TO). */
  readonly recipient: string;
  /** The envelope sender (MAIL FROM). */
  readonly source: string;
}

const UNKNOWN_VERDICTS = {
  spam: 'PROCESSING_FAILED',
  virus: 'PROCESSING_FAILED',
  spf: 'PROCESSING_FAILED',
  dkim: 'PROCESSING_FAILED',
  dmarc: 'PROCESSING_FAILED',
} as const;

function sesMessageId(key: string): string {
  if (!key.startsWith(SES.inboundObjectKeyPrefix) || key.length <= SES.inboundObjectKeyPrefix.length)
    throw new CliError(
      `--object ${key}: not a key SES wrote (expected ${SES.inboundObjectKeyPrefix}<message id>)`,
    );
  return key.slice(SES.inboundObjectKeyPrefix.length);
}

function delivery(raw: RawReplay, topicArn: string, certificateUrl: string, bucket: string) {
  return buildSesDelivery({
    topicArn,
    certificateUrl,
    recipient: raw.recipient,
    source: raw.source,
    // The object is already in the bucket; only the notification is built.
    mime: Buffer.alloc(0),
    bucket,
    verdicts: UNKNOWN_VERDICTS,
    sesMessageId: sesMessageId(raw.key),
  });
}

/** AWS: publishes the notification to the stage's SES inbound topic; SNS delivers it, signed, to `/email`. */
export async function republishRaw(
  sns: SNSClient,
  raw: RawReplay,
  topicArn: string,
  bucket: string,
): Promise<ReplayResult> {
  const built = delivery(raw, topicArn, '', bucket);
  const { MessageId } = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: built.envelope.Subject,
      Message: built.envelope.Message,
    }),
  );
  return { messageId: MessageId ?? built.envelope.MessageId, result: 'republished' };
}

/** AWS: a parked SES notification that is no signed envelope goes back through the topic as it is. */
export async function republishMessage(sns: SNSClient, topicArn: string, message: string): Promise<void> {
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: 'Amazon SES Email Receipt Notification',
      Message: message,
    }),
  );
}

/** The local stack: its SNS stand-in signs the notification, which is POSTed to the gateway's `/email`. */
export async function replayRawLocally(gateway: Gateway, raw: RawReplay): Promise<ReplayResult> {
  const inbound = (await discoverStack(gateway)).sesInbound;
  const topicArn = inbound?.topicArns[0];
  if (!inbound || !topicArn) throw new CliError(`${gateway.url} reports no SES inbound`);
  const built = delivery(raw, topicArn, inbound.certificateUrl, inbound.bucket);
  const envelope = await signWithLocalSns(inbound.snsUrl, built.envelope);
  const response = await sendHttp({
    url: `${gateway.url}/email`,
    method: 'POST',
    headers: Object.entries(snsDeliveryHeaders(envelope)),
    body: Buffer.from(JSON.stringify(envelope)),
    connectTimeoutMs: 5_000,
    readTimeoutMs: 30_000,
  });
  const ok = response.status >= 200 && response.status < 300;
  return {
    messageId: envelope.MessageId,
    result: ok ? 'replayed' : 'kept',
    status: response.status,
    ...(ok ? {} : { detail: response.body.slice(0, 200) }),
  };
}
