import { randomBytes } from 'node:crypto';
import { DEMO } from '../../src/kit/demo-data.js';
import { emailMessageId, mailgunSignature, postMailgunWebhook } from '../fixtures/mailgun-webhooks.js';

/** The demo company's Mailgun domain (the part of its address after `@`). */
const DEMO_MAIL_DOMAIN = DEMO.emailAddress.split('@')[1] as string;

/** An email with inline attachments from `sender` to the demo address, posted to `url` and signed with the demo key. */
export function postInlineAttachments(
  url: string,
  sender: string,
  messageId: string,
  attachments: { name: string; type: string; content: Buffer }[],
  timestamp?: number,
) {
  return postMailgunWebhook({
    url,
    signingKey: DEMO.signingKey,
    sender,
    recipient: DEMO.emailAddress,
    messageId,
    attachments,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}

/**
 * A store(notify) notification as Mailgun posts it to `url` (urlencoded, signed like any route post) from `sender`,
 * with the storage refs given; `fields` adds or replaces fields (`body-plain`, `message-headers`).
 */
export async function postStoreNotify(
  url: string,
  sender: string,
  refs: { 'message-url': string; attachments: string },
  {
    timestamp = Math.floor(Date.now() / 1000),
    fields: more = {},
  }: { readonly timestamp?: number; readonly fields?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  const token = randomBytes(25).toString('hex');
  const fields = {
    domain: DEMO_MAIL_DOMAIN,
    recipient: DEMO.emailAddress,
    sender,
    from: `Candidate <${sender}>`,
    subject: 'My CV',
    'stripped-text': 'Please find my CV attached.',
    'message-headers': JSON.stringify([['Message-Id', emailMessageId()]]),
    'X-Mailgun-Spf': 'Pass',
    'X-Mailgun-Dkim-Check-Result': 'Pass',
    timestamp: String(timestamp),
    token,
    signature: mailgunSignature(DEMO.signingKey, String(timestamp), token),
    ...more,
    ...refs,
  };
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: await response.text() };
}
