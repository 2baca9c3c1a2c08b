import type { AuthResult, SenderVerdict } from './sender-verdict.js';
import type { SesVerdicts, VerdictStatus } from './ses-receipt.js';

/** `DISABLED`: the receipt rule does not scan, so SES gives no verdict; anything but PASS (GRAY, …) does not pass. */
function auth(status: VerdictStatus): AuthResult {
  if (status === 'PASS') return 'pass';
  return status === 'DISABLED' ? 'absent' : 'fail';
}

/**
 * SES's receipt verdicts in the provider-neutral shape `assessSender` judges (the same rules as Mailgun's): spam and
 * virus count only when SES says `FAIL` (GRAY is not a finding).
 *
 * @example
 * assessSender(senderVerdictFromSes(receipt.verdicts), policy); // { trusted: false, reason: 'sender_unverified' }
 */
export function senderVerdictFromSes(verdicts: SesVerdicts): SenderVerdict {
  return {
    spf: auth(verdicts.spf),
    dkim: auth(verdicts.dkim),
    // Only a DMARC FAIL is a finding: GRAY means the domain publishes no policy.
    dmarc: verdicts.dmarc === 'FAIL' ? 'fail' : verdicts.dmarc === 'PASS' ? 'pass' : 'absent',
    ...(verdicts.spam === 'FAIL' ? { spam: true } : {}),
    ...(verdicts.virus === 'FAIL' ? { virus: true } : {}),
  };
}
