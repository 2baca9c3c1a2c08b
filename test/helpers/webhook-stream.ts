import { IN_PROGRESS_MS } from '../../src/app/process-webhook.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { inboundParams, postTwilioWebhook } from '../fixtures/twilio-webhooks.js';
import type { AwsProxy, ProxyMode } from './aws-proxy.js';
import type { SeededConversation } from './conversations.js';
import type { TestStack } from './test-stack.js';

export interface Sent {
  readonly params: Record<string, string>;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly status: number;
  readonly body: string;
}

/**
 * The first `afterAnswers` webhooks are delivered one by one before the fault goes on (the stack is warm and serving);
 * it goes off once `windowAnswers` webhooks sent during the fault have their answer.
 */
export interface FaultWindow {
  readonly proxy: AwsProxy;
  readonly mode: ProxyMode;
  readonly afterAnswers: number;
  readonly windowAnswers: number;
}

export interface StreamResult {
  readonly sent: readonly Sent[];
  /** Absolute `performance.now()` times the fault was switched on and off. */
  readonly faultStart: number;
  readonly faultEnd: number;
  /** Calls the proxy was still holding unanswered (`hang`) when the fault ended. */
  readonly heldAtFaultEnd: number;
}

export const GENERIC_5XX = { message: 'Service temporarily unavailable, please retry' };

export function params(conversation: SeededConversation): Record<string, string> {
  return inboundParams({ From: conversation.from, To: conversation.to, AccountSid: DEMO.accountSid });
}

export async function deliver(
  t: TestStack,
  conversation: SeededConversation,
  form: Record<string, string>,
): Promise<Sent> {
  const sentAt = performance.now();
  const response = await postTwilioWebhook({
    url: t.url(`/${conversation.channel}`),
    authToken: DEMO.authToken,
    params: form,
  });
  return {
    params: form,
    sentAt,
    answeredAt: performance.now(),
    status: response.status,
    body: response.body,
  };
}

/**
 * Sends `count` webhooks without waiting for answers (a provider stream): each one as soon as the previous one is
 * being processed (its conversation Query reached DynamoDB), switching the proxy into `fault.mode` and back on
 * answers. Events only, no timers.
 */
export async function streamThroughFault(
  t: TestStack,
  conversation: SeededConversation,
  count: number,
  fault: FaultWindow,
): Promise<StreamResult> {
  let faultStart = Number.POSITIVE_INFINITY;
  let faultEnd = Number.POSITIVE_INFINITY;
  let heldAtFaultEnd = 0;
  let answersInWindow = 0;
  const switchOff = () => {
    if (faultEnd !== Number.POSITIVE_INFINITY) return;
    fault.proxy.mode = { kind: 'pass' };
    faultEnd = performance.now();
    heldAtFaultEnd = fault.proxy.held;
    fault.proxy.releaseHeld();
  };
  const onAnswer = (sent: Sent): Sent => {
    answersInWindow += 1;
    if (answersInWindow === fault.windowAnswers) switchOff();
    return sent;
  };
  const pending: Promise<Sent>[] = [];
  for (let i = 0; i < Math.min(fault.afterAnswers, count); i++) {
    pending.push(Promise.resolve(await deliver(t, conversation, params(conversation))));
  }
  fault.proxy.mode = fault.mode;
  faultStart = performance.now();
  for (let i = 0; i < count - fault.afterAnswers; i++) {
    const arrived = t.dynamoProxy.nextCall('Query');
    const sent = deliver(t, conversation, params(conversation)).then(onAnswer);
    pending.push(sent);
    await Promise.race([arrived, sent]);
  }
  const sent = await Promise.all(pending);
  switchOff();
  return { sent, faultStart, faultEnd, heldAtFaultEnd };
}

export interface Redelivery {
  readonly rounds: number;
  /** How many times the in-progress expiry had to pass (stale claims left by attempts that lost their claim). */
  readonly expiriesWaited: number;
  readonly statuses: readonly number[];
}

/**
 * Redelivers each failed webhook, as the provider would, until all are acknowledged. A 503 "in progress" means a
 * claim left by a failed attempt has not expired yet: the stack's clock is moved past the expiry before the next
 * round, which is what waiting for the provider's later retry amounts to.
 */
export async function redeliverUntilAccepted(
  t: TestStack,
  conversation: SeededConversation,
  failed: readonly Sent[],
  maxRounds = 4,
): Promise<Redelivery> {
  let remaining = failed.map((s) => s.params);
  const statuses: number[] = [];
  let expiriesWaited = 0;
  let rounds = 0;
  while (remaining.length > 0 && rounds < maxRounds) {
    rounds++;
    // One at a time, as a provider's retries of different messages arrive: a burst of concurrent writes to one
    // conversation item would itself time out against the embedded emulator and muddy the figures.
    const answers: Sent[] = [];
    for (const form of remaining) answers.push(await deliver(t, conversation, form));
    statuses.push(...answers.map((a) => a.status));
    remaining = answers.filter((a) => a.status !== 200).map((a) => a.params);
    if (remaining.length > 0) {
      t.clock.advance(IN_PROGRESS_MS + 1);
      expiriesWaited++;
    }
  }
  if (remaining.length > 0)
    throw new Error(`${remaining.length} webhooks still refused after ${rounds} rounds`);
  return { rounds, expiriesWaited, statuses };
}

/** MessageSid → number of copies found in the queue. */
export function copiesById(contexts: readonly unknown[]): Map<string, number> {
  const copies = new Map<string, number>();
  for (const context of contexts) {
    const id = (context as { message: { message_id: string } }).message.message_id;
    copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  return copies;
}
