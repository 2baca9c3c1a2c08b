import { createHash } from 'node:crypto';
import type { ConversationRecord, ReceiptMap } from './types.js';

/**
 * Idempotency receipts live on the conversation item itself (one attribute per provider message id), so a webhook
 * costs no extra DynamoDB call for crash-safe dedupe. Value > 0: in progress until that epoch ms; value < 0: done
 * at -value epoch ms. Hashing keeps attribute names short and free of provider-controlled characters.
 */
export const RECEIPT_PREFIX = 'rx_';

/**
 * How long a finished message id is remembered: the longest retry horizon of any provider. Meta redelivers a batch
 * it did not see answered 200 for up to 7 days (Mailgun: 8 h, SNS: about an hour, Twilio's fallback: minutes), so
 * a wamid queued once must still be a duplicate a week later. An hour of margin covers clock skew.
 */
export const RECEIPT_RETENTION_MS = (7 * 24 + 1) * 60 * 60 * 1000;
/** Upper bound on receipts kept per conversation, so the item never grows without bound. */
export const MAX_RECEIPTS = 100;

export function receiptAttribute(messageId: string): string {
  return RECEIPT_PREFIX + createHash('sha256').update(messageId).digest('base64url').slice(0, 22);
}

export type ReceiptState = 'absent' | 'in-progress' | 'done';

export function receiptState(receipts: ReceiptMap, attribute: string, nowMs: number): ReceiptState {
  const value = receipts[attribute];
  if (value === undefined) return 'absent';
  if (value < 0) return 'done';
  return value > nowMs ? 'in-progress' : 'absent';
}

/**
 * The receipt state of one message id over all of a sender's conversations with one company: a retry that arrives
 * after a newer conversation was opened must still find the receipt written on the older one. Done wins over
 * in progress; other companies' conversations are not passed in (one email to two companies is two messages).
 */
export function receiptStateAcross(
  records: readonly Pick<ConversationRecord, 'receipts'>[],
  attribute: string,
  nowMs: number,
): ReceiptState {
  let state: ReceiptState = 'absent';
  for (const record of records) {
    const one = receiptState(record.receipts, attribute, nowMs);
    if (one === 'done') return 'done';
    if (one === 'in-progress') state = one;
  }
  return state;
}

/** Receipts to drop while writing a new one: expired, or the oldest beyond the cap. */
export function staleReceipts(receipts: ReceiptMap, nowMs: number, keep: string): string[] {
  const cutoff = nowMs - RECEIPT_RETENTION_MS;
  const stale: string[] = [];
  const live: [string, number][] = [];
  for (const [name, value] of Object.entries(receipts)) {
    if (name === keep) continue;
    const at = Math.abs(value);
    if (at < cutoff) stale.push(name);
    else live.push([name, at]);
  }
  if (live.length >= MAX_RECEIPTS) {
    live.sort((a, b) => a[1] - b[1]);
    for (const [name] of live.slice(0, live.length - MAX_RECEIPTS + 1)) stale.push(name);
  }
  return stale;
}
