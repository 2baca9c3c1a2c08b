import { describe, expect, it } from 'vitest';
import { dkimSignatureDomain, fromMailbox } from '../../src/domain/email-identity.js';
import { mailgunVerdict } from '../../src/domain/mailgun-message.js';
import { alignedDomains, organisationalDomain } from '../../src/domain/organisational-domain.js';
import {
  assessSender,
  authResult,
  type SenderIdentity,
  type SenderVerdict,
} from '../../src/domain/sender-verdict.js';

const strict = { allowAbsentVerdicts: false };
const lenient = { allowAbsentVerdicts: true };
/** A candidate at example.com whose own servers send and sign: SPF and DKIM both aligned. */
const aligned: SenderIdentity = {
  fromDomain: 'example.com',
  envelopeDomain: 'bounce.example.com',
  dkimDomains: ['example.com'],
};
const verdict = (
  spf: string | undefined,
  dkim: string | undefined,
  spam?: boolean,
  identity: SenderIdentity = aligned,
): SenderVerdict => ({
  spf: authResult(spf),
  dkim: authResult(dkim),
  ...(spam ? { spam } : {}),
  identity,
});

describe('assessSender: DMARC semantics (relaxed alignment with the From domain)', () => {
  it.each([
    ['SPF pass, aligned envelope', verdict('Pass', 'Fail'), { trusted: true }],
    ['DKIM pass, aligned d=', verdict('SoftFail', 'Pass'), { trusted: true }],
    ['both fail', verdict('Fail', 'Fail'), { trusted: false, reason: 'sender_unverified' }],
    ['neutral and absent', verdict('Neutral', undefined), { trusted: false, reason: 'sender_unverified' }],
    ['both absent', verdict(undefined, undefined), { trusted: false, reason: 'sender_unverified' }],
    ['spam even when authenticated', verdict('Pass', 'Pass', true), { trusted: false, reason: 'spam' }],
    [
      'SPF pass for the attacker’s own envelope domain',
      verdict('Pass', 'Fail', false, { ...aligned, envelopeDomain: 'evil.example' }),
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'SPF pass with a null envelope sender',
      verdict('Pass', 'Fail', false, { fromDomain: 'example.com', dkimDomains: [] }),
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'DKIM pass signed by the attacker’s own domain',
      verdict('Fail', 'Pass', false, { ...aligned, dkimDomains: ['evil.example'] }),
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'DKIM pass, one aligned and one foreign signature (which one verified is unknown)',
      verdict('Fail', 'Pass', false, { ...aligned, dkimDomains: ['example.com', 'evil.example'] }),
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'DKIM pass with no DKIM-Signature to align',
      verdict('Fail', 'Pass', false, { ...aligned, dkimDomains: [] }),
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'no single From',
      verdict('Pass', 'Pass', false, { envelopeDomain: 'example.com', dkimDomains: ['example.com'] }),
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'a look-alike registrable domain (example.com.evil.example)',
      verdict('Pass', 'Pass', false, {
        fromDomain: 'example.com',
        envelopeDomain: 'example.com.evil.example',
        dkimDomains: ['example.com.evil.example'],
      }),
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'no identity at all',
      { spf: 'pass', dkim: 'pass' } as const,
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'DMARC pass (SES) with DKIM passing for another domain',
      {
        spf: 'fail',
        dkim: 'pass',
        dmarc: 'pass',
        identity: { fromDomain: 'example.com', dkimDomains: ['esp.example'] },
      } as const,
      { trusted: true },
    ],
    [
      'DMARC pass (SES) but no single From (several From headers)',
      { spf: 'pass', dkim: 'pass', dmarc: 'pass', identity: { dkimDomains: [] } } as const,
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'DMARC pass alone (SPF and DKIM both failing): not believed',
      { spf: 'fail', dkim: 'fail', dmarc: 'pass' } as const,
      { trusted: false, reason: 'sender_unverified' },
    ],
    [
      'DMARC fail even with SPF passing aligned',
      { spf: 'pass', dkim: 'absent', dmarc: 'fail', identity: aligned } as const,
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

describe('organisational domains (Public Suffix List, private section included)', () => {
  it.each([
    ['mail.example.co.uk', 'example.co.uk'],
    ['a.b.example.com', 'example.com'],
    ['alice.github.io', 'alice.github.io'],
    ['co.uk', undefined],
    ['not a domain', undefined],
    ['', undefined],
  ])('%s → %s', (domain, expected) => {
    expect(organisationalDomain(domain)).toBe(expected);
  });

  it('aligns subdomains of one registrable domain only', () => {
    expect(alignedDomains('bounce.example.co.uk', 'example.co.uk')).toBe(true);
    expect(alignedDomains('evil.co.uk', 'example.co.uk')).toBe(false);
    expect(alignedDomains('bob.github.io', 'alice.github.io')).toBe(false);
    expect(alignedDomains(undefined, undefined)).toBe(false);
  });
});

describe('From and DKIM-Signature parsing (linear, attacker input)', () => {
  it.each([
    ['Jane Doe <Jane@Example.com>', 'jane@example.com'],
    ['jane@example.com', 'jane@example.com'],
    ['"Doe, Jane" <jane@example.com>', 'jane@example.com'],
    ['a@x.example, b@y.example', undefined],
    ['A <a@x.example>, B <b@y.example>', undefined],
    ['Jane <jane@example.com', undefined],
    ['no address', undefined],
    [`${'<'.repeat(100_000)}`, undefined],
  ])('fromMailbox(%j) → %s', (value, expected) => {
    expect(fromMailbox(value)).toBe(expected);
  });

  it('reads d= across folding whitespace, and nothing else', () => {
    expect(dkimSignatureDomain('v=1; a=rsa-sha256; d=Example.COM; s=sel; b=abc')).toBe('example.com');
    expect(dkimSignatureDomain('v=1; d =\r\n  mail.example.com ; s=x')).toBe('mail.example.com');
    expect(dkimSignatureDomain('v=1; s=x; b=d=evil.example')).toBeUndefined();
  });
});

describe('mailgunVerdict: only what Mailgun posts', () => {
  const headers = (...extra: [string, string][]) =>
    JSON.stringify([['From', 'Jane <jane@example.com>'], ...extra]);

  it('never reads a verdict from message-headers (the sender writes those)', () => {
    const fields = {
      sender: 'jane@example.com',
      'message-headers': headers(['X-Mailgun-Spf', 'Pass'], ['X-Mailgun-Dkim-Check-Result', 'Pass']),
    };
    expect(mailgunVerdict(fields)).toMatchObject({ spf: 'absent', dkim: 'absent' });
  });

  it('a verdict header the email carries more than once is no verdict, even with the field posted', () => {
    const fields = {
      sender: 'jane@example.com',
      'X-Mailgun-Spf': 'Pass',
      'X-Mailgun-Dkim-Check-Result': 'Pass',
      'X-Mailgun-Sflag': 'No',
      'message-headers': headers(
        ['X-Mailgun-Spf', 'Pass'],
        ['X-Mailgun-Spf', 'Fail'],
        ['X-Mailgun-Dkim-Check-Result', 'Pass'],
      ),
    };
    expect(mailgunVerdict(fields)).toMatchObject({ spf: 'absent', dkim: 'pass' });
  });

  it('reads the identity: From domain, envelope domain, every DKIM-Signature d=', () => {
    const fields = {
      sender: 'bounces+x=y@mg.example.com',
      from: 'Jane <jane@example.com>',
      'X-Mailgun-Spf': 'Pass',
      'X-Mailgun-Dkim-Check-Result': 'Fail',
      'X-Mailgun-Sflag': 'Yes',
      'message-headers': headers(['DKIM-Signature', 'v=1; d=example.com; s=s']),
    };
    expect(mailgunVerdict(fields)).toEqual({
      spf: 'pass',
      dkim: 'fail',
      spam: true,
      identity: { fromDomain: 'example.com', envelopeDomain: 'mg.example.com', dkimDomains: ['example.com'] },
    });
    expect(mailgunVerdict({})).toEqual({ spf: 'absent', dkim: 'absent', identity: { dkimDomains: [] } });
  });

  it('two From headers: no identity', () => {
    const fields = {
      from: 'Jane <jane@example.com>',
      'message-headers': headers(['From', 'Eve <eve@evil.example>']),
    };
    expect(mailgunVerdict(fields).identity?.fromDomain).toBeUndefined();
  });
});
