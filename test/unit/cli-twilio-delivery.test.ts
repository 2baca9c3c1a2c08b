import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/cli-error.js';
import { DEFAULT_POLICY, parseConnectionOverrides } from '../../src/cli/connection-overrides.js';
import { summarise } from '../../src/cli/simulation-summary.js';
import { deliver, type Transport } from '../../src/cli/twilio-delivery.js';
import { HttpFailure, type HttpRequest, type HttpResponse } from '../../src/kit/http-request.js';
import { signTwilioRequest } from '../../src/kit/twilio-webhook.js';

type Step = number | 'connect-error' | 'read-timeout';

/** A scripted server: each attempt takes the next step (a status code or a failure), per URL. */
function scripted(steps: Readonly<Record<string, Step[]>>): Transport & { calls: HttpRequest[] } {
  const calls: HttpRequest[] = [];
  const transport = async (request: HttpRequest): Promise<HttpResponse> => {
    calls.push(request);
    const step = steps[request.url]?.shift() ?? 200;
    if (typeof step === 'number') return { status: step, headers: {}, body: '', durationMs: 1 };
    throw new HttpFailure(step, step);
  };
  return Object.assign(transport, { calls });
}

function target(webhookUrl: string, token = 'idem-1') {
  const { url, policy } = parseConnectionOverrides(webhookUrl);
  return { request: signTwilioRequest(url, [['MessageSid', 'SM1']], 'secret', token), policy };
}

describe("connection overrides (Twilio's #fragment)", () => {
  it("defaults to Twilio's: ct=5000 rt=15000 tt=15000 rc=1 rp=ct", () => {
    expect(parseConnectionOverrides('http://h/whatsapp')).toEqual({
      url: 'http://h/whatsapp',
      policy: DEFAULT_POLICY,
    });
  });

  it('reads every override and strips the fragment from the URL', () => {
    const { url, policy } = parseConnectionOverrides(
      'https://h/sms?x=1#ct=100&rt=2000&tt=9000&rc=3&rp=4xx,5xx&e=dublin',
    );

    expect(url).toBe('https://h/sms?x=1');
    expect(policy).toEqual({
      connectTimeoutMs: 100,
      readTimeoutMs: 2000,
      totalTimeMs: 9000,
      retryCount: 3,
      retryPolicy: new Set(['4xx', '5xx']),
    });
    expect(parseConnectionOverrides('http://h#rp=all').policy.retryPolicy).toEqual(
      new Set(['4xx', '5xx', 'ct', 'rt']),
    );
  });

  it.each(['#rc=6', '#ct=99', '#rt=abc', '#rp=timeouts', '#retries=2'])(
    'refuses %s like Twilio does',
    (fragment) => {
      expect(() => parseConnectionOverrides(`http://h/sms${fragment}`)).toThrow(UsageError);
    },
  );
});

describe('deliver: one message with retries and fallback', () => {
  it('retries a 5xx when rp includes 5xx, with the same signed request', async () => {
    const transport = scripted({ 'http://h/sms': [503, 500, 200] });

    const report = await deliver(target('http://h/sms#rc=2&rp=5xx'), undefined, transport);

    expect(report).toMatchObject({ outcome: 'accepted', retries: 2 });
    expect(new Set(transport.calls.map((c) => c.body?.toString()))).toHaveProperty('size', 1);
    expect(
      transport.calls.every((c) =>
        c.headers?.some(([n, v]) => n === 'I-Twilio-Idempotency-Token' && v === 'idem-1'),
      ),
    ).toBe(true);
  });

  it('does not retry what the policy does not name (default rp=ct: an HTTP error is final)', async () => {
    const transport = scripted({ 'http://h/sms': [500] });

    const report = await deliver(target('http://h/sms#rc=5'), undefined, transport);

    expect(report).toMatchObject({ outcome: 'lost', retries: 0 });
    expect(transport.calls).toHaveLength(1);
  });

  it('retries connection failures under ct and read timeouts under rt, up to rc', async () => {
    const transport = scripted({ 'http://h/sms': ['connect-error', 'read-timeout', 'read-timeout'] });

    const report = await deliver(target('http://h/sms#rc=2&rp=ct,rt&rt=500&ct=100'), undefined, transport);

    expect(report).toMatchObject({ outcome: 'lost', retries: 2 });
    expect(transport.calls.map((c) => [c.connectTimeoutMs, c.readTimeoutMs])).toEqual([
      [100, 500],
      [100, 500],
      [100, 500],
    ]);
  });

  it('falls back to the fallback URL, signed for that URL, with its own overrides', async () => {
    const transport = scripted({
      'http://h/sms': ['connect-error', 'connect-error'],
      'http://backup/sms': [500, 200],
    });

    const report = await deliver(target('http://h/sms'), target('http://backup/sms#rc=1&rp=5xx'), transport);

    expect(report.outcome).toBe('fallback');
    expect(transport.calls.map((c) => c.url)).toEqual([
      'http://h/sms',
      'http://h/sms',
      'http://backup/sms',
      'http://backup/sms',
    ]);
    const signatures = new Set(
      transport.calls.map((c) => c.headers?.find(([n]) => n === 'X-Twilio-Signature')?.[1]),
    );
    expect(signatures.size).toBe(2);
  });

  it('counts accepted, retried, fallback and lost over many deliveries', async () => {
    const transport = scripted({ 'http://h/sms': [200, 500, 200, 500, 500] });
    const reports = [];
    for (let i = 0; i < 3; i++)
      reports.push(await deliver(target('http://h/sms#rc=1&rp=5xx'), undefined, transport));

    const summary = summarise(reports);

    expect(summary).toMatchObject({ count: 3, accepted: 2, retried: 2, fallback: 0, lost: 1, attempts: 5 });
    expect(summary.outcomes).toEqual({ '200': 2, '500': 3 });
  });
});
