// zod/mini rather than `zod`: same checks, a fraction of the cold-start cost (see twilio-message.ts).
import * as z from 'zod/mini';
import { BadRequestError } from './errors.js';
import { parseUntrustedJson } from './parse-untrusted-json.js';

/**
 * The SES receipt notification carried in an SNS Notification's `Message` (SES developer guide →
 * receiving-email-notifications-contents). Only the fields the gateway uses are read; the rest is ignored.
 */
export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED' | 'UNKNOWN';

export interface SesVerdicts {
  readonly spam: VerdictStatus;
  readonly virus: VerdictStatus;
  readonly spf: VerdictStatus;
  readonly dkim: VerdictStatus;
  readonly dmarc: VerdictStatus;
}

export type SesContentSource =
  | { readonly type: 'S3'; readonly bucketName: string; readonly objectKey: string }
  | { readonly type: 'SNS'; readonly encoding: 'BASE64' | 'UTF8'; readonly content: string };

export interface SesReceipt {
  /** SES's id of the received message (also the S3 object key's last segment by default). */
  readonly sesMessageId: string;
  /** Envelope recipients (RCPT TO) that matched the rule, lower-cased: the registry keys. */
  readonly recipients: readonly string[];
  /** SMTP MAIL FROM, lower-cased; may differ from the From header. */
  readonly source: string;
  /**
   * What SES parsed from the message's own headers (`mail.commonHeaders.from`, `mail.headers` DKIM-Signature values):
   * the identity when the raw message itself cannot be read here (too large, unparseable).
   */
  readonly headerFrom: readonly string[];
  readonly dkimSignatures: readonly string[];
  readonly topicArn?: string;
  readonly verdicts: SesVerdicts;
  readonly content: SesContentSource;
}

/** A receipt's JSON is at most the SNS message size; this bounds recipients and strings inside it. */
const MAX_RECIPIENTS = 50;
const KNOWN = new Set(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']);

const text = (max: number) =>
  z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(max, 'too long'));
const verdict = z.optional(z.object({ status: z.string().check(z.maxLength(32, 'too long')) }));

const schema = z.object({
  notificationType: z.literal('Received', 'must be "Received"'),
  mail: z.object({
    messageId: text(256),
    source: z.string().check(z.maxLength(512, 'too long')),
    commonHeaders: z.optional(
      z.object({
        from: z.optional(
          z.array(z.string().check(z.maxLength(998, 'too long'))).check(z.maxLength(16, 'too many')),
        ),
      }),
    ),
    headers: z.optional(
      z
        .array(
          z.object({
            name: z.string().check(z.maxLength(256, 'too long')),
            value: z.string().check(z.maxLength(64 * 1024, 'too long')),
          }),
        )
        .check(z.maxLength(1000, 'too many')),
    ),
  }),
  receipt: z.object({
    recipients: z
      .array(text(320))
      .check(z.minLength(1, 'must not be empty'), z.maxLength(MAX_RECIPIENTS, 'too many')),
    spamVerdict: verdict,
    virusVerdict: verdict,
    spfVerdict: verdict,
    dkimVerdict: verdict,
    dmarcVerdict: verdict,
    action: z.object({
      type: z.string().check(z.maxLength(32, 'too long')),
      topicArn: z.optional(text(512)),
      bucketName: z.optional(text(63)),
      objectKey: z.optional(text(1024)),
      encoding: z.optional(z.string().check(z.maxLength(16, 'too long'))),
    }),
  }),
  content: z.optional(z.string()),
});

function status(value: { status: string } | undefined): VerdictStatus {
  const upper = value?.status.toUpperCase();
  return upper && KNOWN.has(upper) ? (upper as VerdictStatus) : 'UNKNOWN';
}

function contentSource(parsed: z.infer<typeof schema>): SesContentSource {
  const { action } = parsed.receipt;
  if (action.type === 'S3' && action.bucketName && action.objectKey) {
    return { type: 'S3', bucketName: action.bucketName, objectKey: action.objectKey };
  }
  if (action.type === 'SNS' && parsed.content !== undefined) {
    // SES spells it "UTF-8" in the rule and "UTF8" in the notification; both mean text.
    const encoding = action.encoding?.toUpperCase() === 'BASE64' ? 'BASE64' : 'UTF8';
    return { type: 'SNS', encoding, content: parsed.content };
  }
  throw new BadRequestError('SES notification has neither an S3 object nor inline content');
}

/**
 * Parses an SES receipt notification (the SNS `Message`, already verified). Throws BadRequestError with the first
 * problem; never echoes content.
 *
 * @example
 * const receipt = parseSesReceipt(envelope.Message);
 */
export function parseSesReceipt(message: string): SesReceipt {
  const raw = parseUntrustedJson(message, 'SES notification is not JSON');
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new BadRequestError(`Invalid SES notification: ${issue?.path.join('.')} ${issue?.message}`);
  }
  const parsed = result.data;
  const { receipt } = parsed;
  return {
    sesMessageId: parsed.mail.messageId,
    recipients: receipt.recipients.map((recipient) => recipient.trim().toLowerCase()),
    source: parsed.mail.source.trim().toLowerCase(),
    headerFrom: parsed.mail.commonHeaders?.from ?? [],
    dkimSignatures: (parsed.mail.headers ?? [])
      .filter((header) => header.name.toLowerCase() === 'dkim-signature')
      .map((header) => header.value),
    ...(receipt.action.topicArn ? { topicArn: receipt.action.topicArn } : {}),
    verdicts: {
      spam: status(receipt.spamVerdict),
      virus: status(receipt.virusVerdict),
      spf: status(receipt.spfVerdict),
      dkim: status(receipt.dkimVerdict),
      dmarc: status(receipt.dmarcVerdict),
    },
    content: contentSource(parsed),
  };
}

/** Inline (SNS action) content as bytes; SES only inlines messages up to 150 KB. */
export function inlineContentBytes(source: Extract<SesContentSource, { type: 'SNS' }>): Buffer {
  return source.encoding === 'BASE64'
    ? Buffer.from(source.content, 'base64')
    : Buffer.from(source.content, 'utf8');
}
