import { randomUUID } from 'node:crypto';
import type { SnsEnvelope } from '../../domain/sns-envelope.js';
import { SES } from '../../resources.js';
import { buildMime, type MimeOptions } from './build-mime.js';

/**
 * What the CLI's `send email --provider ses` (and the e2e harness) hands to the gateway, built the way SES and SNS
 * build it: the raw MIME (to be stored in the inbound bucket first, for the S3 action), the SES receipt
 * notification, and the SNS envelope to sign.
 */
type VerdictOverrides = Partial<Record<'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc', string>>;

export interface SesDeliveryOptions {
  readonly topicArn: string;
  readonly certificateUrl: string;
  /** Envelope recipient (RCPT TO), e.g. the company's registered address. */
  readonly recipient: string;
  /** SMTP MAIL FROM. */
  readonly source: string;
  readonly mime: MimeOptions | Buffer;
  /** `S3` (default): the raw message goes to `bucket` under SES's key; `SNS`: inline, BASE64. */
  readonly action?: 'S3' | 'SNS';
  readonly bucket?: string;
  readonly verdicts?: VerdictOverrides;
  /** SES's message id; fixed to build a redelivery. */
  readonly sesMessageId?: string;
}

export interface SesDelivery {
  readonly raw: Buffer;
  /** Where the raw message must be put before the notification is posted (S3 action only). */
  readonly object?: { readonly bucket: string; readonly key: string };
  readonly receipt: Record<string, unknown>;
  /** Unsigned: sign with the local SNS server (`POST /sign`) or `signSnsEnvelope`. */
  readonly envelope: Omit<SnsEnvelope, 'Signature' | 'SignatureVersion'>;
}

export function buildSesDelivery(options: SesDeliveryOptions): SesDelivery {
  const raw = Buffer.isBuffer(options.mime) ? options.mime : buildMime(options.mime);
  const sesMessageId = options.sesMessageId ?? randomUUID().replace(/-/g, '');
  const verdicts = {
    spam: 'PASS',
    virus: 'PASS',
    spf: 'PASS',
    dkim: 'PASS',
    dmarc: 'PASS',
    ...options.verdicts,
  };
  const bucket = options.bucket ?? SES.localInboundBucket;
  const key = `${SES.inboundObjectKeyPrefix}${sesMessageId}`;
  const inline = options.action === 'SNS';
  const now = new Date().toISOString();
  const receipt = {
    notificationType: 'Received',
    mail: {
      timestamp: now,
      source: options.source,
      messageId: sesMessageId,
      destination: [options.recipient],
      headersTruncated: false,
      ...sesParsedHeaders(raw),
    },
    receipt: {
      timestamp: now,
      processingTimeMillis: 1,
      recipients: [options.recipient],
      spamVerdict: { status: verdicts.spam },
      virusVerdict: { status: verdicts.virus },
      spfVerdict: { status: verdicts.spf },
      dkimVerdict: { status: verdicts.dkim },
      dmarcVerdict: { status: verdicts.dmarc },
      action: inline
        ? { type: 'SNS', topicArn: options.topicArn, encoding: 'BASE64' }
        : {
            type: 'S3',
            topicArn: options.topicArn,
            bucketName: bucket,
            objectKeyPrefix: SES.inboundObjectKeyPrefix,
            objectKey: key,
          },
    },
    ...(inline ? { content: raw.toString('base64') } : {}),
  };
  return {
    raw,
    ...(inline ? {} : { object: { bucket, key } }),
    receipt,
    envelope: {
      Type: 'Notification',
      // SNS gives each delivery of one publish the same MessageId; a redelivery reuses it.
      MessageId: `sns-${sesMessageId}`,
      TopicArn: options.topicArn,
      Subject: 'Amazon SES Email Receipt Notification',
      Message: JSON.stringify(receipt),
      Timestamp: now,
      SigningCertURL: options.certificateUrl,
    },
  };
}

/** The SubscriptionConfirmation SNS sends when the subscription is created. */
export function buildSubscriptionConfirmation(options: {
  readonly topicArn: string;
  readonly certificateUrl: string;
  readonly subscribeUrl: string;
  readonly token: string;
}): Omit<SnsEnvelope, 'Signature' | 'SignatureVersion'> {
  return {
    Type: 'SubscriptionConfirmation',
    MessageId: randomUUID(),
    Token: options.token,
    TopicArn: options.topicArn,
    Message: `You have chosen to subscribe to the topic ${options.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: options.subscribeUrl,
    Timestamp: new Date().toISOString(),
    SigningCertURL: options.certificateUrl,
  };
}

/** Headers SNS sends with every HTTP/S delivery. */
export function snsDeliveryHeaders(envelope: Pick<SnsEnvelope, 'Type' | 'MessageId' | 'TopicArn'>) {
  return {
    'content-type': 'text/plain; charset=UTF-8',
    [SES.snsMessageTypeHeader]: envelope.Type,
    'x-amz-sns-message-id': envelope.MessageId,
    'x-amz-sns-topic-arn': envelope.TopicArn,
    'user-agent': 'Amazon Simple Notification Service Agent',
  };
}

/**
 * What SES puts in `mail.headers` and `mail.commonHeaders` for a received message: its header lines (unfolded) and
 * the From header. Only the header block (up to the first blank line, at most 64 KiB) is read.
 */
function sesParsedHeaders(raw: Buffer): {
  headers: { name: string; value: string }[];
  commonHeaders: { from?: string[] };
} {
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end === -1 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers = unfolded
    .split(/\r?\n/)
    .map((line) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
    })
    .filter((header) => header.name !== '');
  const from = headers.filter((header) => header.name.toLowerCase() === 'from').map((header) => header.value);
  // SES truncates what it lists (and says so): long values and long header blocks are cut here too.
  const listed = headers.slice(0, 100).map((header) => ({ ...header, value: header.value.slice(0, 998) }));
  return {
    headers: listed,
    commonHeaders: from.length > 0 ? { from: from.map((value) => value.slice(0, 998)) } : {},
  };
}
