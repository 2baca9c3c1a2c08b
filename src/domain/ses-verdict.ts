import type { SesVerdicts, VerdictStatus } from './ses-receipt.js';

/**
 * What the provider's own authenticity and content checks mean for one inbound email. Provider-neutral: SES fills
 * it from its receipt verdicts; another provider can fill it from its headers.
 */
export type SenderDecision =
  | { readonly kind: 'accept' }
  | {
      readonly kind: 'handoff';
      readonly reason: 'virus' | 'sender_unverified' | 'spam';
      /** False for `virus`: the message's attachments must not be stored anywhere. */
      readonly storeAttachments: boolean;
    };

const pass = (status: VerdictStatus) => status === 'PASS';

/**
 * Issue 14's rules, in order of precedence: a virus decides what may be stored, so it wins; then the sender's
 * authenticity (DMARC FAIL, or neither SPF nor DKIM passing), because an unverified sender must never reach the AI
 * or receive a fallback; then spam. Anything else is accepted.
 *
 * @example
 * decideSenderVerdict(receipt.verdicts); // { kind: 'handoff', reason: 'sender_unverified', storeAttachments: true }
 */
export function decideSenderVerdict(verdicts: SesVerdicts): SenderDecision {
  if (verdicts.virus === 'FAIL') return { kind: 'handoff', reason: 'virus', storeAttachments: false };
  if (verdicts.dmarc === 'FAIL' || (!pass(verdicts.spf) && !pass(verdicts.dkim))) {
    return { kind: 'handoff', reason: 'sender_unverified', storeAttachments: true };
  }
  if (verdicts.spam === 'FAIL') return { kind: 'handoff', reason: 'spam', storeAttachments: true };
  return { kind: 'accept' };
}
