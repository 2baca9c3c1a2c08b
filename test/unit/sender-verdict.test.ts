import { describe, expect, it } from 'vitest';
import { mailgunVerdict } from '../../src/domain/mailgun-message.js';
import { assessSender, authResult, type SenderVerdict } from '../../src/domain/sender-verdict.js';

const strict = { allowAbsentVerdicts: false };
const lenient = { allowAbsentVerdicts: true };
const verdict = (spf: string | undefined, dkim: string | undefined, spam?: boolean): SenderVerdict => ({
  spf: authResult(spf),
  dkim: authResult(dkim),
  ...(spam ? { spam } : {}),
});

describe('assessSender', () => {
  it.each([
    ['SPF pass', verdict('Pass', 'Fail'), { trusted: true }],
    ['DKIM pass', verdict('SoftFail', 'Pass'), { trusted: true }],
    ['both fail', verdict('Fail', 'Fail'), { trusted: false, reason: 'sender_unverified' }],
    ['neutral and absent', verdict('Neutral', undefined), { trusted: false, reason: 'sender_unverified' }],
    ['both absent', verdict(undefined, undefined), { trusted: false, reason: 'sender_unverified' }],
    ['spam even when authenticated', verdict('Pass', 'Pass', true), { trusted: false, reason: 'spam' }],
    [
      'DMARC pass alone (SPF and DKIM both failing): one rule set with SES',
      { spf: 'fail', dkim: 'fail', dmarc: 'pass' } as const,
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'DMARC fail even with SPF passing',
      { spf: 'pass', dkim: 'absent', dmarc: 'fail' } as const,
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'virus wins over everything',
      { spf: 'fail', dkim: 'fail', spam: true, virus: true } as const,
      { trusted: false, reason: 'virus' },
    ],
    [
      'unverified spammer: sender_unverified',
      verdict('Fail', 'Fail', true),
      { trusted: false, reason: 'sender_unverified' },
    ],
    ['no verdict object (Twilio)', undefined, { trusted: true }],
  ])('strict policy: %s', (_name, input, expected) => {
    expect(assessSender(input, strict)).toEqual(expected);
  });

  it('allows absent verdicts only with the opt-in, and only when every verdict is absent', () => {
    expect(assessSender(verdict(undefined, undefined), lenient)).toEqual({ trusted: true, unknown: true });
    expect(assessSender(verdict('Fail', undefined), lenient)).toEqual({
      trusted: false,
      reason: 'sender_unverified',
    });
    expect(assessSender(verdict(undefined, undefined, true), lenient)).toEqual({
      trusted: false,
      reason: 'spam',
    });
  });
});

describe('mailgunVerdict', () => {
  it('reads the field first, then message-headers', () => {
    const headers = JSON.stringify([
      ['X-Mailgun-Spf', 'Fail'],
      ['X-Mailgun-Dkim-Check-Result', 'Pass'],
      ['X-Mailgun-Sflag', 'Yes'],
    ]);

    expect(mailgunVerdict({ 'message-headers': headers })).toEqual({ spf: 'fail', dkim: 'pass', spam: true });
    expect(
      mailgunVerdict({ 'message-headers': headers, 'X-Mailgun-Spf': 'Pass', 'X-Mailgun-Sflag': 'No' }),
    ).toEqual({
      spf: 'pass',
      dkim: 'pass',
    });
    expect(mailgunVerdict({})).toEqual({ spf: 'absent', dkim: 'absent' });
  });
});
