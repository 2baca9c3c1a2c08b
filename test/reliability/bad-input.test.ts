import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/kit/demo-data.js';
import { BAD_INPUT_CORPUS, type CorpusCase } from '../fixtures/bad-input-corpus.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import { type RawResponse, sendRaw } from '../helpers/raw-http.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({ awsCallTimeoutMs: 1_000 });
});
afterAll(async () => {
  await t.stop();
});

interface Outcome {
  readonly item: CorpusCase;
  readonly response: RawResponse;
  readonly problems: string[];
}

function judge(item: CorpusCase, response: RawResponse): string[] {
  const problems: string[] = [];
  if (response.status !== item.status) problems.push(`status ${response.status}, expected ${item.status}`);
  if (!(response.headers['content-type'] ?? '').startsWith('application/json')) {
    problems.push(`content-type ${response.headers['content-type']}`);
  }
  if (item.message !== undefined) {
    let message: unknown;
    try {
      message = (JSON.parse(response.body) as { message?: unknown }).message;
    } catch {
      problems.push(`body is not JSON: ${response.body.slice(0, 80)}`);
    }
    const ok =
      typeof message === 'string' &&
      (typeof item.message === 'string' ? message === item.message : item.message.test(message));
    if (!ok) problems.push(`message ${JSON.stringify(message)}, expected ${String(item.message)}`);
  }
  if (/\bat .*\.(ts|js):\d|Error:|ValidationException|dynamo|sqs/i.test(response.body)) {
    problems.push('body leaks internals');
  }
  if (Object.keys(response.headers).some((name) => name.startsWith('x-injected') || name === 'set-cookie')) {
    problems.push('a header was injected into the response');
  }
  return problems;
}

describe('bad-input corpus against the whole local stack', () => {
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    const port = Number(new URL(t.stack.gatewayUrl).port);
    const ctx = { host: `127.0.0.1:${port}`, now: () => t.clock.now() };
    for (const item of BAD_INPUT_CORPUS) {
      const response = await sendRaw(port, item.build(ctx));
      outcomes.push({ item, response, problems: judge(item, response) });
    }
  }, 120_000);

  it('holds at least 200 crafted requests, many signed so they reach validation', () => {
    // Prepare
    const signed = BAD_INPUT_CORPUS.filter((item) => item.signed).length;

    // Act
    const categories = new Set(BAD_INPUT_CORPUS.map((item) => item.category));

    // Assess
    expect(BAD_INPUT_CORPUS.length).toBeGreaterThanOrEqual(200);
    expect(signed).toBeGreaterThanOrEqual(60);
    expect(categories.size).toBeGreaterThanOrEqual(12);
  });

  it('answers every one with its 4xx and a clear JSON message, never a 5xx', () => {
    // Prepare
    const failures = outcomes
      .filter((outcome) => outcome.problems.length > 0)
      .map((o) => `${o.item.category} / ${o.item.name}: ${o.problems.join('; ')}`);

    // Act
    const statuses = outcomes.map((outcome) => outcome.response.status);

    // Assess
    expect(failures).toEqual([]);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.every((status) => status >= 400 && status < 500)).toBe(true);
  });

  it('lets none of them reach a queue', async () => {
    // Prepare
    const queues = ['whatsappReplies', 'smsReplies', 'emailReplies', 'handoff'] as const;

    // Act
    const queued = await Promise.all(queues.map((queue) => t.drain(queue)));

    // Assess
    expect(queued.flat()).toEqual([]);
  });

  it('is still serving afterwards: a valid signed webhook is queued', async () => {
    // Prepare
    const params = inboundParams({
      From: `whatsapp:${DEMO.aiSender}`,
      To: DEMO.whatsappNumber,
      AccountSid: DEMO.accountSid,
    });

    // Act
    const response = await postTwilioWebhook({ url: t.url('/whatsapp'), authToken: DEMO.authToken, params });

    // Assess
    expect(response.status).toBe(200);
    const queued = (await t.drain('whatsappReplies')) as { message: { message_id: string } }[];
    expect(queued.map((context) => context.message.message_id)).toEqual([params.MessageSid]);
  });
});
