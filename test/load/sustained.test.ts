import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededConversation, seedConversation } from '../helpers/conversations.js';
import { percentile, recordFigures } from '../helpers/figures.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';
import { copiesById, deliver, GENERIC_5XX, params } from '../helpers/webhook-stream.js';

/**
 * Sustained load straight at the handler (throttle off, to find the pipeline's own behaviour, not API Gateway's):
 * workers post WhatsApp and SMS replies for ten conversations; one delivery in five repeats a recent MessageSid,
 * often while the first is still in flight. Each worker retries a 503 like Twilio with `#rc=5&rp=all`.
 */
const WORKERS = 8;
const DURATION_MS = 10_000;
const DUPLICATE_SHARE = 0.2;

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t.stop();
});

describe('sustained load with duplicates in flight', () => {
  it('queues every MessageSid exactly once, answers only 200 or a generic 503, in bounded latency', async () => {
    // Prepare
    const conversations: SeededConversation[] = [];
    for (let i = 0; i < 10; i++)
      conversations.push(await seedConversation(t, i % 2 === 0 ? 'whatsapp' : 'sms'));
    const recent: { conversation: SeededConversation; form: Record<string, string> }[] = [];
    const generated = new Set<string>();
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let unexpectedBodies = 0;
    let gaveUp = 0;
    const end = performance.now() + DURATION_MS;

    // Act
    const worker = async (seed: number) => {
      for (let n = seed; performance.now() < end; n += WORKERS) {
        const reuse = recent.length > 0 && Math.random() < DUPLICATE_SHARE;
        const pick = reuse
          ? (recent[Math.floor(Math.random() * recent.length)] as (typeof recent)[number])
          : (() => {
              const conversation = conversations[n % conversations.length] as SeededConversation;
              const form = params(conversation);
              generated.add(form.MessageSid ?? '');
              recent.push({ conversation, form });
              if (recent.length > 50) recent.shift();
              return { conversation, form };
            })();
        for (let attempt = 0; ; attempt++) {
          const sent = await deliver(t, pick.conversation, pick.form);
          latencies.push(sent.answeredAt - sent.sentAt);
          statuses.set(sent.status, (statuses.get(sent.status) ?? 0) + 1);
          if (sent.status === 503 && JSON.stringify(JSON.parse(sent.body)) !== JSON.stringify(GENERIC_5XX)) {
            unexpectedBodies++;
          }
          if (sent.status !== 503) break;
          if (attempt === 5) {
            gaveUp++;
            break;
          }
          await sleep(50);
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
    const elapsedS = (performance.now() - started) / 1000;
    const queued = [...(await t.drain('whatsappReplies')), ...(await t.drain('smsReplies'))];
    const copies = copiesById(queued);

    // Assess
    const requests = latencies.length;
    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(unexpectedBodies).toBe(0);
    expect(gaveUp).toBe(0);
    expect(new Set(copies.keys())).toEqual(generated);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    // Generous: the machine is shared, and the emulators run in this process; the figure is what matters.
    expect(percentile(latencies, 99)).toBeLessThan(5_000);
    recordFigures('sustained', `${WORKERS} workers for ${DURATION_MS / 1000} s`, {
      requests,
      throughputRps: Math.round(requests / elapsedS),
      messageIds: generated.size,
      duplicateDeliveries: requests - generated.size - (statuses.get(503) ?? 0),
      answered503InProgress: statuses.get(503) ?? 0,
      latencyMsP50: percentile(latencies, 50),
      latencyMsP95: percentile(latencies, 95),
      latencyMsP99: percentile(latencies, 99),
      latencyMsMax: percentile(latencies, 100),
      queuedMessages: queued.length,
    });
  });
});
