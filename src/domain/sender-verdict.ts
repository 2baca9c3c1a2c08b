/**
 * What the receiving provider says about an email's sender, provider-neutral: Mailgun's `X-Mailgun-Spf`,
 * `X-Mailgun-Dkim-Check-Result` and `X-Mailgun-Sflag` today; SES receipt verdicts (spf/dkim/dmarc/spam/virus) map
 * onto the same shape.
 */
export type AuthResult = 'pass' | 'fail' | 'absent';

export interface SenderVerdict {
  readonly spf: AuthResult;
  readonly dkim: AuthResult;
  readonly dmarc?: AuthResult;
  /** The provider flagged the message as spam. */
  readonly spam?: boolean;
}

export type UntrustedReason = 'sender_unverified' | 'spam';

export type SenderTrust =
  | {
      readonly trusted: true /** No verdict at all, allowed by the registry's opt-in. */;
      readonly unknown?: true;
    }
  | { readonly trusted: false; readonly reason: UntrustedReason };

export interface SenderPolicy {
  /** Registry opt-in for provider accounts that add no verdicts: absent counts as unknown-but-allowed. */
  readonly allowAbsentVerdicts: boolean;
}

const TRUSTED: SenderTrust = { trusted: true };

/**
 * Spam wins; otherwise one passing check (SPF, DKIM or DMARC) authenticates the sender. SPF and DKIM both failing
 * or absent is unverified, unless every verdict is absent and the registry entry opted into allowing that.
 * No verdict object at all means the channel has none to give (Twilio): the provider's signature is enough.
 */
export function assessSender(verdict: SenderVerdict | undefined, policy: SenderPolicy): SenderTrust {
  if (!verdict) return TRUSTED;
  if (verdict.spam) return { trusted: false, reason: 'spam' };
  const results = [verdict.spf, verdict.dkim, verdict.dmarc ?? 'absent'];
  if (results.includes('pass')) return TRUSTED;
  if (policy.allowAbsentVerdicts && results.every((r) => r === 'absent'))
    return { trusted: true, unknown: true };
  return { trusted: false, reason: 'sender_unverified' };
}

/** Mailgun's header values (`Pass`, `Fail`, `SoftFail`, `Neutral`, …): only `Pass` passes. */
export function authResult(value: string | undefined): AuthResult {
  if (value === undefined || value.trim() === '') return 'absent';
  return value.trim().toLowerCase() === 'pass' ? 'pass' : 'fail';
}
