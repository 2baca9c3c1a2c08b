import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { LIMITS } from '../../src/resources.js';
import { seedConversation } from '../helpers/conversations.js';
import { recordFigures } from '../helpers/figures.js';
import { type SecondStage, startStage, startTestStack, type TestStack } from '../helpers/test-stack.js';
import { type DeliveryResult, TwilioLikeClient } from '../helpers/twilio-client.js';
import { copiesById, params } from '../helpers/webhook-stream.js';

/**
 * A spike of inbound WhatsApp replies against API Gateway's stage throttle (seed: 10 rps, burst 20). Twilio never
 * backs off on 429: whether a throttled webhook is lost depends only on its connection overrides and Fallback URL.
 * Attempts are modelled `GAP_MS` apart (a new TLS connection and request from Twilio to a regional API); the
 * co-located case (Twilio and the API in one region) uses a much shorter gap.
 */
const GAP_MS = 250;
const THROTTLE = { rate: LIMITS.throttleRateLimit, burst: LIMITS.throttleBurstLimit };

let t: TestStack;
const stages: SecondStage[] = [];
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await Promise.all(stages.map((stage) => stage.stop()));
  await t.stop();
});

interface Scenario {
  readonly spike: number;
  /** Fragment of the webhook URL; '' = Twilio's defaults (rc=1, rp=ct: a 429 is not retried). */
  readonly overrides: string;
  readonly fallback: 'none' | 'same stage' | 'second stage';
  readonly gapMs: number;
}

async function runSpike(name: string, scenario: Scenario) {
  const primary = await startStage(t, THROTTLE);
  const second = await startStage(t, THROTTLE);
  stages.push(primary, second);
  const conversation = await seedConversation(t, 'whatsapp');
  const fallbackBase = scenario.fallback === 'second stage' ? second : primary;
  const client = new TwilioLikeClient({
    authToken: DEMO.authToken,
    webhookUrl: `${primary.url('/whatsapp')}${scenario.overrides}`,
    ...(scenario.fallback === 'none'
      ? {}
      : { fallbackUrl: `${fallbackBase.url('/whatsapp')}${scenario.overrides}` }),
    attemptGapMs: scenario.gapMs,
  });
  const forms = Array.from({ length: scenario.spike }, () => params(conversation));
  const started = performance.now();
  const results: DeliveryResult[] = await client.spike(forms);
  const elapsedMs = Math.round(performance.now() - started);
  const copies = copiesById(await t.drain('whatsappReplies'));
  const attempts = results.flatMap((r) => r.attempts);
  const figures = {
    ...scenario,
    delivered: results.filter((r) => r.delivered).length,
    lost: results.filter((r) => !r.delivered).length,
    viaFallback: results.filter((r) => r.via === 'fallback').length,
    httpAttempts: attempts.length,
    answered429: attempts.filter((a) => a.status === 429).length,
    queuedMessages: copies.size,
    duplicates: [...copies.values()].reduce((a, b) => a + b, 0) - copies.size,
    spikeDurationMs: elapsedMs,
  };
  recordFigures('burst', name, figures);
  // Counted at the queue: every acknowledged webhook is there exactly once, nothing else is.
  const delivered = new Set(forms.filter((_, i) => results[i]?.delivered).map((f) => f.MessageSid));
  expect(new Set(copies.keys())).toEqual(delivered);
  expect(figures.duplicates).toBe(0);
  expect(attempts.every((a) => a.status === 200 || a.status === 429)).toBe(true);
  return figures;
}

describe(`spikes against the stage throttle (${THROTTLE.rate} rps, burst ${THROTTLE.burst}), counted at the queue`, () => {
  it.each([
    ['3× the rate limit', '30 at once, rc=5 rp=all, fallback same stage', 3 * THROTTLE.rate, 'same stage'],
    [
      '3× the burst limit',
      '60 at once, rc=5 rp=all, fallback second stage',
      3 * THROTTLE.burst,
      'second stage',
    ],
  ] as const)(
    '%s at once, #rc=5&rp=all with a Fallback URL (%s): zero lost, zero duplicated',
    async (_, label, spike, fallback) => {
      // Prepare, Act
      const figures = await runSpike(label, { spike, overrides: '#rc=5&rp=all', fallback, gapMs: GAP_MS });

      // Assess
      expect(figures.lost).toBe(0);
      expect(figures.queuedMessages).toBe(spike);
      // Only the rate-limit spike is sure to meet the throttle on the first stage.
      if (fallback === 'same stage') expect(figures.answered429).toBeGreaterThan(0);
    },
  );

  it('without connection overrides or a Fallback URL, every throttled webhook is lost (Twilio does not retry a 429)', async () => {
    // Prepare, Act
    const spike = await runSpike('60 at once, Twilio defaults, no fallback', {
      spike: 3 * THROTTLE.burst,
      overrides: '',
      fallback: 'none',
      gapMs: GAP_MS,
    });
    const rateSpike = await runSpike('30 at once, Twilio defaults, no fallback', {
      spike: 3 * THROTTLE.rate,
      overrides: '',
      fallback: 'none',
      gapMs: GAP_MS,
    });

    // Assess: one attempt each, and each 429 is a message the AI never sees
    for (const figures of [spike, rateSpike]) {
      expect(figures.httpAttempts).toBe(figures.spike);
      expect(figures.lost).toBe(figures.answered429);
    }
    expect(spike.lost).toBeGreaterThanOrEqual(THROTTLE.burst / 2);
  });

  it.each<[string, Scenario]>([
    [
      '60 at once, rc=5 rp=all, fallback same stage',
      { spike: 60, overrides: '#rc=5&rp=all', fallback: 'same stage', gapMs: GAP_MS },
    ],
    [
      '30 at once, rc=5 rp=all, fallback same stage, co-located (20 ms)',
      { spike: 30, overrides: '#rc=5&rp=all', fallback: 'same stage', gapMs: 20 },
    ],
    [
      '60 at once, rc=5 rp=all, fallback second stage, co-located (20 ms)',
      { spike: 60, overrides: '#rc=5&rp=all', fallback: 'second stage', gapMs: 20 },
    ],
  ])('where the settings stop sufficing (recorded, not a guarantee): %s', async (name, scenario) => {
    // Prepare, Act
    const figures = await runSpike(name, scenario);

    // Assess: whatever is lost is lost at the gateway, never half-processed
    expect(figures.delivered + figures.lost).toBe(scenario.spike);
  });
});
