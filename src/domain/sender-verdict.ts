/**
 * What the receiving provider says about an email's sender, provider-neutral: Mailgun's `X-Mailgun-Spf`,
 * `X-Mailgun-Dkim-Check-Result` and `X-Mailgun-Sflag`, and SES's receipt verdicts (spf/dkim/dmarc/spam/virus,
 * `senderVerdictFromSes`), map onto this one shape and are judged by one rule set (`assessSender`).
 */
export type AuthResult = 'pass' | 'fail' | 'absent';

export interface SenderVerdict {
  readonly spf: AuthResult;
  readonly dkim: AuthResult;
  readonly dmarc?: AuthResult;
  /** The provider flagged the message as spam. */
  readonly spam?: boolean;
  /** The provider found a virus: nothing of the message may be stored (no attachment). */
  readonly virus?: boolean;
}

export type UntrustedReason = 'sender_unverified' | 'spam' | 'virus';

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
 * Issues 14 and 15's rules, in order of precedence. A virus wins (it decides what may be stored). Then the
 * sender's authenticity: DMARC failing, or SPF and DKIM both not passing, is unverified — unless every verdict is
 * absent and the registry entry opted into allowing that — because an unverified sender must never reach the AI
 * or be sent a fallback. Then spam. No verdict object at all means the channel has none to give (Twilio): the
 * provider's signature is enough.
 */
export function assessSender(verdict: SenderVerdict | undefined, policy: SenderPolicy): SenderTrust {
  if (!verdict) return TRUSTED;
  if (verdict.virus) return { trusted: false, reason: 'virus' };
  const dmarc = verdict.dmarc ?? 'absent';
  const allAbsent = verdict.spf === 'absent' && verdict.dkim === 'absent' && dmarc === 'absent';
  const authenticated = dmarc !== 'fail' && (verdict.spf === 'pass' || verdict.dkim === 'pass');
  if (!authenticated && !(allAbsent && policy.allowAbsentVerdicts)) {
    return { trusted: false, reason: 'sender_unverified' };
  }
  if (verdict.spam) return { trusted: false, reason: 'spam' };
  return allAbsent ? { trusted: true, unknown: true } : TRUSTED;
}

/** Mailgun's header values (`Pass`, `Fail`, `SoftFail`, `Neutral`, …): only `Pass` passes. */
export function authResult(value: string | undefined): AuthResult {
  if (value === undefined || value.trim() === '') return 'absent';
  return value.trim().toLowerCase() === 'pass' ? 'pass' : 'fail';
}
