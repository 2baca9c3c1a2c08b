import { describe, expect, it } from 'vitest';
import { buildRestEvent } from '../../src/kit/rest-event-builder.js';
import { ExchangeLog } from '../../src/local/inspector/exchange-log.js';
import { detailView, maskField } from '../../src/local/inspector/exchange-view.js';
import { verdictOf } from '../../src/local/inspector/verdict.js';

function exchange(body: string, status = 200) {
  const event = buildRestEvent({
    method: 'POST',
    path: '/whatsapp',
    headers: [
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['X-Twilio-Signature', 'sig'],
      ['X-Forwarded-For', '127.0.0.1'],
    ],
    body: Buffer.from(body),
  });
  return { event, result: { statusCode: status, body: '' }, durationMs: 3 };
}

describe('ExchangeLog', () => {
  it('joins the outcome reported during the request with the exchange recorded after it', async () => {
    const log = new ExchangeLog();
    const x = exchange('From=whatsapp%3A%2B447700900123&WaId=447700900123&Body=hi');
    const id = x.event.requestContext.requestId;

    log.observe(id, { verdict: 'duplicate' });
    log.record(x);

    const entry = log.get(id);
    expect(entry?.outcome).toEqual({ verdict: 'duplicate' });
    expect(entry?.headers.map(([name]) => name)).toEqual(['Content-Type', 'X-Twilio-Signature']);
    const detail = await detailView(entry ?? ({} as never));
    expect(detail.request.fields).toEqual([
      ['From', 'whatsapp:+44********23'],
      ['WaId', '447*******23'],
      ['Body', 'hi'],
    ]);
  });

  it('keeps the last `capacity` exchanges, newest first, and bumps its version on every change', () => {
    const log = new ExchangeLog(2);
    const ids = [1, 2, 3].map(() => {
      const x = exchange('Body=x');
      log.record(x);
      return x.event.requestContext.requestId;
    });

    expect(log.list().map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect(log.version).toBe(3);
    log.markReplay(ids[2] ?? '', ids[1] ?? '', 'original');
    expect(log.version).toBe(4);
  });

  it('also evicts the oldest bodies beyond its byte budget', () => {
    const log = new ExchangeLog(200, 25);
    for (let i = 0; i < 3; i++) log.record(exchange(`Body=${'x'.repeat(10)}`));

    expect(log.list()).toHaveLength(1);
    expect(log.list()[0]?.event.body).toBeNull();
  });
});

describe('verdicts', () => {
  it.each([
    [
      { verdict: 'queued', queue: 'handoff', route: 'handoff', reason: 'opt_out', context: {} },
      'queued',
      'HandoffQueue (handoff, opt_out)',
    ],
    [
      { verdict: 'rejected', status: 403, code: 'FORBIDDEN', reason: 'signature' },
      'forged',
      'signature does not match',
    ],
    [
      { verdict: 'rejected', status: 403, code: 'FORBIDDEN', reason: 'replayed' },
      'replayed',
      'token was already used',
    ],
    [{ verdict: 'rejected', status: 400, code: 'BAD_REQUEST' }, 'rejected', '400 BAD_REQUEST'],
    [{ verdict: 'unknown-sender', fallback: 'sent' }, 'unknown-sender', 'fallback sent'],
    [{ verdict: 'failed', status: 503, code: 'DEPENDENCY' }, 'failed', 'provider would retry'],
    [undefined, 'unobserved', 'HTTP 200'],
  ] as const)('%j → %s', (outcome, verdict, label) => {
    const view = verdictOf(outcome as Parameters<typeof verdictOf>[0], 200);

    expect(view.verdict).toBe(verdict);
    expect(view.label).toContain(label);
  });

  it('masks the personal fields addresses patterns miss', () => {
    expect(maskField('ProfileName', 'Jane Doe')).toBe('J***');
    expect(maskField('Body', 'call me on +447700900123')).toBe('call me on +44********23');
  });
});
