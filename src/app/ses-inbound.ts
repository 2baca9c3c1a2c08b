import { dkimSignatureDomains, fromMailbox } from '../domain/email-identity.js';
import {
  BadRequestError,
  ForbiddenError,
  PayloadTooLargeError,
  type PermanentReason,
} from '../domain/errors.js';
import { domainOfAddress } from '../domain/organisational-domain.js';
import {
  type ParsedEmail,
  parseRawEmail,
  RAW_EMAIL_LIMITS,
  type RawEmailLimits,
} from '../domain/raw-email.js';
import type { SenderVerdict } from '../domain/sender-verdict.js';
import { inlineContentBytes, parseSesReceipt, type SesReceipt } from '../domain/ses-receipt.js';
import { senderVerdictFromSes } from '../domain/ses-verdict.js';
import { parseSnsEnvelope, type SnsEnvelope } from '../domain/sns-envelope.js';
import { verifySnsSignature } from '../domain/sns-signature.js';
import { allowedSnsUrl, isAllowedTopic } from '../domain/sns-url-policy.js';
import type { Clock, Logger, RawEmail, RawEmailSource, SnsCertificates, SnsSubscriptions } from './ports.js';

/**
 * The SNS branch of `POST /email` up to a channel-neutral email, in the order the security rules demand: bounded
 * parse → topic allow-list → certificate URL allow-list → (cached) certificate fetch → signature → only then any
 * other read. Each step's failure is the right WebhookError; nothing here writes anything.
 */
export interface SesInboundDeps {
  readonly certificates: SnsCertificates;
  readonly subscriptions: SnsSubscriptions;
  readonly rawEmails: RawEmailSource;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: {
    readonly snsUrlPattern: RegExp;
    readonly topicArns: readonly string[];
    readonly inboundBucket: string | undefined;
    readonly rawEmailLimits?: RawEmailLimits;
  };
}

/** Verifies an SNS delivery; throws 400/413 (malformed), 403 (forged, foreign certificate, unknown topic), 503. */
export async function verifySnsDelivery(
  body: string,
  headerType: string | undefined,
  deps: SesInboundDeps,
): Promise<SnsEnvelope> {
  const envelope = parseSnsEnvelope(body, headerType);
  if (!isAllowedTopic(envelope.TopicArn, deps.settings.topicArns)) throw new ForbiddenError('signature');
  const certificateUrl = allowedSnsUrl(envelope.SigningCertURL, deps.settings.snsUrlPattern);
  if (!certificateUrl) throw new ForbiddenError('signature');
  const certificate = await deps.certificates.get(certificateUrl);
  const verdict = verifySnsSignature(envelope, certificate, deps.clock.now());
  if (!verdict.ok) {
    deps.logger.warn('SNS signature rejected', { reason: verdict.reason, message_type: envelope.Type });
    throw new ForbiddenError('signature');
  }
  return envelope;
}

/** A verified SubscriptionConfirmation is confirmed (its SubscribeURL must be allowed too); an unsubscribe is logged. */
export async function handleSubscriptionMessage(envelope: SnsEnvelope, deps: SesInboundDeps): Promise<void> {
  if (envelope.Type === 'UnsubscribeConfirmation') {
    deps.logger.info('SNS unsubscribe confirmation received', { topic_arn: envelope.TopicArn });
    return;
  }
  const subscribeUrl = allowedSnsUrl(envelope.SubscribeURL ?? '', deps.settings.snsUrlPattern);
  if (!subscribeUrl) throw new ForbiddenError('signature');
  await deps.subscriptions.confirm(subscribeUrl);
  deps.logger.info('SNS subscription confirmed', { topic_arn: envelope.TopicArn });
}

export interface SesInboundEmail {
  readonly receipt: SesReceipt;
  readonly email: ParsedEmail;
  /** SES's verdicts in the provider-neutral shape; the use case judges them with the registry's policy. */
  readonly senderVerdict: SenderVerdict;
  /** The id consumers dedupe on: the Message-ID header, or SES's own id when a message has none. */
  readonly messageId: string;
  /**
   * The raw message could not be read here — over the size this runtime processes (`too_large`; SES accepts up to
   * 40 MB) or unparseable MIME (`unprocessable`). SNS drops any 4xx, so such a genuine email is handed to a human
   * with the raw object's reference instead (`message.raw_email`); SES keeps it in the inbound bucket.
   */
  readonly unprocessed?: {
    readonly reason: PermanentReason;
    readonly rawEmail?: {
      readonly size: number;
      readonly s3: { readonly bucket: string; readonly key: string };
    };
  };
}

const UNREAD: ParsedEmail = {
  messageId: undefined,
  inReplyTo: undefined,
  references: undefined,
  subject: undefined,
  from: undefined,
  dkimDomains: [],
  text: '',
  attachments: [],
  droppedAttachments: 0,
};

/** A verified Notification → its SES receipt, raw MIME (S3 or inline), parsed email and sender decision. */
export async function readSesNotification(
  envelope: SnsEnvelope,
  deps: SesInboundDeps,
): Promise<SesInboundEmail> {
  const receipt = parseSesReceipt(envelope.Message);
  let raw: RawEmail;
  let stored: { bucket: string; key: string } | undefined;
  if (receipt.content.type === 'S3') {
    // Our topic naming another bucket is a misconfiguration or a compromised publisher: read nothing.
    if (!deps.settings.inboundBucket || receipt.content.bucketName !== deps.settings.inboundBucket) {
      deps.logger.warn('SES notification names a bucket other than SES_INBOUND_BUCKET');
      throw new ForbiddenError('signature');
    }
    stored = { bucket: receipt.content.bucketName, key: receipt.content.objectKey };
    raw = await deps.rawEmails.get(stored.bucket, stored.key);
  } else {
    raw = { bytes: inlineContentBytes(receipt.content) };
  }
  const unread = await parsed(raw, deps.settings.rawEmailLimits ?? RAW_EMAIL_LIMITS);
  // A message not read here still has the identity SES parsed from its headers (one From, DKIM-Signature d= tags).
  const read = unread.unprocessed
    ? {
        ...unread,
        email: {
          ...unread.email,
          from: receipt.headerFrom.length === 1 ? fromMailbox(receipt.headerFrom[0]) : undefined,
          dkimDomains: dkimSignatureDomains(receipt.dkimSignatures),
        },
      }
    : unread;
  // The identity DMARC aligns: From header, envelope sender (`mail.source`, empty for a null sender), DKIM d= tags.
  const fromDomain = domainOfAddress(read.email.from);
  const envelopeDomain = domainOfAddress(receipt.source);
  const senderVerdict = senderVerdictFromSes(receipt.verdicts, {
    ...(fromDomain ? { fromDomain } : {}),
    ...(envelopeDomain ? { envelopeDomain } : {}),
    dkimDomains: read.email.dkimDomains,
  });
  const size = 'bytes' in raw ? raw.bytes.byteLength : raw.size;
  const unprocessed = read.unprocessed
    ? { reason: read.unprocessed, ...(stored ? { rawEmail: { size, s3: stored } } : {}) }
    : undefined;
  // Not scanned clean: no attachment leaves this function, so none can be stored.
  const email = senderVerdict.virus
    ? {
        ...read.email,
        attachments: [],
        droppedAttachments: read.email.attachments.length + read.email.droppedAttachments,
      }
    : read.email;
  return {
    receipt,
    email,
    senderVerdict,
    messageId: email.messageId ?? `<${receipt.sesMessageId}@amazonses.com>`,
    ...(unprocessed ? { unprocessed } : {}),
  };
}

/** The parsed email, or why it cannot be parsed here (a verdict about this message, the same on every retry). */
async function parsed(
  raw: RawEmail,
  limits: RawEmailLimits,
): Promise<{ email: ParsedEmail; unprocessed?: PermanentReason }> {
  if (!('bytes' in raw)) return { email: UNREAD, unprocessed: 'too_large' };
  try {
    return { email: await parseRawEmail(raw.bytes, limits) };
  } catch (error) {
    if (error instanceof PayloadTooLargeError) return { email: UNREAD, unprocessed: 'too_large' };
    if (error instanceof BadRequestError) return { email: UNREAD, unprocessed: 'unprocessable' };
    throw error;
  }
}
