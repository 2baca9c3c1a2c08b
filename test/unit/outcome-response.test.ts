import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/app/outcome.js';
import type { ContextObject } from '../../src/domain/context-object.js';
import { EMPTY_TWIML, outcomeResponse } from '../../src/http/outcome-response.js';
import { InMemoryMetrics } from '../../src/local/in-memory-metrics.js';
import { OBSERVABILITY } from '../../src/resources.js';

const M = OBSERVABILITY.metrics;
const TRUSTED = { trusted: true } as const;
const context = { meta: { dedupe_key: 'c#whatsapp#SM1' } } as unknown as ContextObject;

function map(outcome: Outcome, provider: 'twilio' | 'mailgun' = 'twilio') {
  const metrics = new InMemoryMetrics();
  const report = outcomeResponse(outcome, provider, metrics, 42);
  return { ...report, metrics };
}

describe('outcomeResponse: the one place an Outcome becomes an answer, metrics and the observed record', () => {
  it('acknowledges Twilio with empty TwiML and Mailgun with JSON, whatever the outcome', () => {
    const twilio = map({ kind: 'status-callback' }, 'twilio').response;
    const mailgun = map({ kind: 'duplicate', sender: TRUSTED }, 'mailgun').response;

    expect(twilio).toEqual({ statusCode: 200, headers: { 'Content-Type': 'text/xml' }, body: EMPTY_TWIML });
    expect(mailgun.statusCode).toBe(200);
    expect(JSON.parse(mailgun.body)).toEqual({ message: 'accepted' });
  });

  it.each<[string, Outcome, Record<string, number>, unknown]>([
    [
      'queued',
      {
        kind: 'queued',
        queue: 'handoff',
        route: 'handoff',
        reason: 'opt_out',
        optedOut: true,
        context,
        sender: TRUSTED,
      },
      { [M.optOut]: 1 },
      { verdict: 'queued', queue: 'handoff', route: 'handoff', reason: 'opt_out', context },
    ],
    ['duplicate', { kind: 'duplicate', sender: TRUSTED }, { [M.duplicate]: 1 }, { verdict: 'duplicate' }],
    [
      'status-callback',
      { kind: 'status-callback' },
      { [M.statusCallback]: 1 },
      { verdict: 'status-callback' },
    ],
    [
      'unknown-sender, fallback sent',
      { kind: 'unknown-sender', fallback: 'sent', sender: TRUSTED },
      { [M.unknownSender]: 1, [M.fallbackSent]: 1 },
      { verdict: 'unknown-sender', fallback: 'sent' },
    ],
    [
      'unknown-sender, fallback failed',
      { kind: 'unknown-sender', fallback: 'failed', sender: TRUSTED },
      { [M.unknownSender]: 1, [M.fallbackFailed]: 1 },
      { verdict: 'unknown-sender', fallback: 'failed' },
    ],
    [
      'opt-out with no conversation',
      { kind: 'opt-out', optedOut: true, sender: TRUSTED },
      { [M.unknownSender]: 1, [M.optOut]: 1 },
      { verdict: 'unknown-sender', fallback: 'suppressed' },
    ],
  ])('%s: counts its metrics and reports its record', (_name, outcome, counts, observed) => {
    const report = map(outcome);

    expect(report.observed).toEqual(observed);
    // Exactly these counts, nothing else (a sender trusted outright is not counted).
    expect(Object.fromEntries(report.metrics.counts)).toEqual(counts);
  });

  it('records the processing time of queued messages only', () => {
    const queued = map({ kind: 'queued', queue: 'whatsappReplies', route: 'ai', context, sender: TRUSTED });
    const duplicate = map({ kind: 'duplicate', sender: TRUSTED });

    expect(queued.metrics.timings.get(M.processingTime) ?? []).toEqual([42]);
    expect(duplicate.metrics.timings.get(M.processingTime) ?? []).toEqual([]);
  });

  it('counts a doubtful sender on the outcome it came with', () => {
    const spam = map({ kind: 'duplicate', sender: { trusted: false, reason: 'spam' } });
    const unverified = map({
      kind: 'unknown-sender',
      fallback: 'suppressed',
      sender: { trusted: false, reason: 'sender_unverified' },
    });
    const absent = map({
      kind: 'queued',
      queue: 'emailReplies',
      route: 'ai',
      context,
      sender: { trusted: true, unknown: true },
    });

    expect(spam.metrics.get(M.senderSpam)).toBe(1);
    expect(unverified.metrics.get(M.senderUnverified)).toBe(1);
    expect(absent.metrics.get(M.senderVerdictsAbsent)).toBe(1);
    expect(map({ kind: 'duplicate', sender: TRUSTED }).metrics.get(M.senderUnverified)).toBe(0);
  });
});
