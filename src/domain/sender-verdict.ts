import { alignedDomains } from './organisational-domain.js';

/**
 * What the receiving provider says about an email's sender, provider-neutral: Mailgun's posted verdict fields
 * (`mailgunVerdict`) and SES's receipt verdicts (`senderVerdictFromSes`) map onto this one shape, with the identity
 * the message claims, and are judged by one rule set (`assessSender`).
 */
export type AuthResult = 'pass' | 'fail' | 'absent';

/** Who the message says it is from, and which domains SPF and DKIM looked at. */
export interface SenderIdentity {
  /** Domain of the From header's one mailbox; undefined when the From names none or several. */
  readonly fromDomain?: string;
  /** Domain of the envelope sender (SMTP MAIL FROM) SPF checked; undefined for a null sender (`<>`). */
  readonly envelopeDomain?: string;
  /** `d=` of every `DKIM-Signature` header ('' for one without a readable `d=`). */
  readonly dkimDomains: readonly string[];
}

export interface SenderVerdict {
  readonly spf: AuthResult;
  readonly dkim: AuthResult;
  /** The provider's own DMARC verdict (SES); Mailgun posts none. */
  readonly dmarc?: AuthResult;
  /** The provider flagged the message as spam. */
  readonly spam?: boolean;
  /** Not scanned clean: nothing of the message may be stored (no attachment). */
  readonly virus?: boolean;
  /** Absent: nothing to align with, so SPF and DKIM passes count for nothing. */
  readonly identity?: SenderIdentity;
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
 * DMARC's rule (RFC 7489, relaxed alignment): the From domain is authenticated only by an SPF pass for an envelope
 * sender of the same organisational domain (a null sender gives SPF nothing), by a DKIM pass when every signature's
 * `d=` aligns with it (which signature verified is not reported, so all must), or by the provider's own DMARC pass
 * (SES; believed only alongside an SPF or DKIM pass, without which DMARC cannot pass).
 */
function authenticatesFrom(verdict: SenderVerdict): boolean {
  if (verdict.dmarc === 'fail') return false;
  // No single From (none, or several headers or mailboxes): nothing to authenticate, whatever the provider says.
  const identity = verdict.identity;
  if (!identity?.fromDomain) return false;
  // DMARC cannot pass unless SPF or DKIM did: a report saying otherwise is not trusted.
  if (verdict.dmarc === 'pass') return verdict.spf === 'pass' || verdict.dkim === 'pass';
  const spf = verdict.spf === 'pass' && alignedDomains(identity.envelopeDomain, identity.fromDomain);
  const dkim =
    verdict.dkim === 'pass' &&
    identity.dkimDomains.length > 0 &&
    identity.dkimDomains.every((domain) => alignedDomains(domain, identity.fromDomain));
  return spf || dkim;
}

/**
 * The rules, in order of precedence. A virus (or no clean scan) wins: it decides what may be stored. Then the
 * sender's authenticity (`authenticatesFrom`): anything else is unverified — unless every verdict is absent and the
 * registry entry opted into allowing that — because an unverified sender must never reach the AI or be sent a
 * fallback. Then spam. No verdict object at all means the channel has none to give (Twilio): the provider's
 * signature is enough.
 */
export function assessSender(verdict: SenderVerdict | undefined, policy: SenderPolicy): SenderTrust {
  if (!verdict) return TRUSTED;
  if (verdict.virus) return { trusted: false, reason: 'virus' };
  const dmarc = verdict.dmarc ?? 'absent';
  const allAbsent = verdict.spf === 'absent' && verdict.dkim === 'absent' && dmarc === 'absent';
  if (!authenticatesFrom(verdict) && !(allAbsent && policy.allowAbsentVerdicts)) {
    return { trusted: false, reason: 'sender_unverified' };
  }
  if (verdict.spam) return { trusted: false, reason: 'spam' };
  return allAbsent ? { trusted: true, unknown: true } : TRUSTED;
}

/** Mailgun's verdict values (`Pass`, `Fail`, `SoftFail`, `Neutral`, …): only `Pass` passes. */
export function authResult(value: string | undefined): AuthResult {
  if (value === undefined || value.trim() === '') return 'absent';
  return value.trim().toLowerCase() === 'pass' ? 'pass' : 'fail';
}
