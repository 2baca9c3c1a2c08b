import type { AuthResult, SenderIdentity, SenderVerdict } from './sender-verdict.js';
import type { SesVerdicts, VerdictStatus } from './ses-receipt.js';

/** `DISABLED`: the receipt rule does not scan, so SES gives no verdict; anything but PASS (GRAY, …) does not pass. */
function auth(status: VerdictStatus): AuthResult {
  if (status === 'PASS') return 'pass';
  return status === 'DISABLED' ? 'absent' : 'fail';
}

/**
 * SES's receipt verdicts in the provider-neutral shape `assessSender` judges (the same rules as Mailgun's), with the
 * identity read from the message (From header, `mail.source`, DKIM-Signature `d=`). Spam counts only when SES says
 * `FAIL` (GRAY is not a finding); the virus scan counts as clean only when SES says `PASS` — GRAY,
 * PROCESSING_FAILED or no verdict are not a clean scan, so nothing of such a message is stored.
 *
 * @example
 * assessSender(senderVerdictFromSes(receipt.verdicts, identity), policy); // { trusted: false, reason: 'sender_unverified' }
 */
export function senderVerdictFromSes(verdicts: SesVerdicts, identity?: SenderIdentity): SenderVerdict {
  return {
    spf: auth(verdicts.spf),
    dkim: auth(verdicts.dkim),
    // Only PASS and FAIL are findings: GRAY means the domain publishes no policy.
    dmarc: verdicts.dmarc === 'FAIL' ? 'fail' : verdicts.dmarc === 'PASS' ? 'pass' : 'absent',
    ...(verdicts.spam === 'FAIL' ? { spam: true } : {}),
    ...(verdicts.virus !== 'PASS' ? { virus: true } : {}),
    ...(identity ? { identity } : {}),
  };
}
