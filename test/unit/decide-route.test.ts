import { describe, expect, it } from 'vitest';
import { afterClaim } from '../../src/domain/decide-route.js';
import { receiptAttribute } from '../../src/domain/receipts.js';
import { conversationIdToLookUp, type Routing, routeWebhook } from '../../src/domain/route-webhook.js';
import { selectConversation } from '../../src/domain/select-conversation.js';
import type { SenderTrust } from '../../src/domain/sender-verdict.js';
import type { ConversationRecord, InboundMessage } from '../../src/domain/types.js';

const message: InboundMessage = {
  channel: 'sms',
  kind: 'message',
  from: '+447700900123',
  to: '+14155550100',
  body: 'hi',
  messageId: 'SM1',
};
const conversation = (overrides: Partial<ConversationRecord> = {}): ConversationRecord => ({
  primary_channel: '+447700900123',
  conversation_id: 'c1',
  conversation_status: 'active',
  hand_off_to_human: false,
  company_channel: '+14155550100',
  receipts: {},
  ...overrides,
});

const recipient = { companyChannel: '+14155550100', companyId: 'company-a' };
const keyword = (optOut: 'STOP' | 'START' | 'HELP'): InboundMessage => ({ ...message, optOut });

/** The decision for one message and at most one conversation, without the looked-up record it carries. */
function route(input: InboundMessage, record?: ConversationRecord, sender: SenderTrust = { trusted: true }) {
  const routing: Routing = routeWebhook({
    message: input,
    records: record ? [record] : [],
    recipient,
    sender,
    nowMs: 0,
  });
  if (routing.type !== 'enqueue') return routing;
  const { conversation: _conversation, receiptAttribute: _attribute, ...decision } = routing;
  return decision;
}

describe('routeWebhook: the routing decision', () => {
  it.each([
    ['an active conversation', message, conversation(), { type: 'enqueue', target: 'ai' }],
    [
      'a handed-off conversation',
      message,
      conversation({ hand_off_to_human: true }),
      { type: 'enqueue', target: 'handoff', reason: 'hand_off_to_human' },
    ],
    [
      'STOP',
      keyword('STOP'),
      conversation(),
      { type: 'enqueue', target: 'handoff', reason: 'opt_out', optedOut: true },
    ],
    [
      'START',
      keyword('START'),
      conversation({ opted_out: true }),
      { type: 'enqueue', target: 'handoff', reason: 'opt_in', optedOut: false },
    ],
    ['HELP', keyword('HELP'), conversation(), { type: 'enqueue', target: 'handoff', reason: 'help' }],
    [
      'an opted-out sender',
      message,
      conversation({ opted_out: true }),
      { type: 'enqueue', target: 'handoff', reason: 'opted_out' },
    ],
    ['no conversation', message, undefined, { type: 'unknown-sender', sendFallback: true }],
    ['STOP with no conversation', keyword('STOP'), undefined, { type: 'opt-out', optedOut: true }],
    ['START with no conversation', keyword('START'), undefined, { type: 'opt-out', optedOut: false }],
    [
      'HELP with no conversation',
      keyword('HELP'),
      undefined,
      { type: 'unknown-sender', sendFallback: false },
    ],
    [
      'a status callback',
      { ...message, kind: 'status' as const },
      conversation(),
      { type: 'status-callback' },
    ],
  ])('decides for %s', (_name, input, record, expected) => {
    expect(route(input, record)).toEqual(expected);
  });

  it('hands a known conversation of an untrusted sender to a human with the reason, and never sends a fallback', () => {
    expect(route(message, conversation(), { trusted: false, reason: 'spam' })).toEqual({
      type: 'enqueue',
      target: 'handoff',
      reason: 'spam',
    });
    expect(route(message, undefined, { trusted: false, reason: 'sender_unverified' })).toEqual({
      type: 'unknown-sender',
      sendFallback: false,
    });
  });
});

describe('routeWebhook: a plus-addressed reply from another address (sender mismatch)', () => {
  // From work mail, to the company's address plus-addressed with conversation c1.
  const plusAddressed = { addressed_conversation_id: 'c1' } as InboundMessage['email'];
  const email: InboundMessage = { ...message, channel: 'email', email: plusAddressed };
  Object.assign(email, { from: 'work@elsewhere.example', to: 'jobs@a.example', messageId: '<m1@x.example>' });
  const toA = { companyChannel: 'jobs@a.example', companyId: 'company-a' };
  const ours = conversation({ company_id: 'company-a', company_channel: 'jobs@a.example' });
  const input = { message: email, records: [], recipient: toA, sender: { trusted: true } as const, nowMs: 0 };

  it("asks for the addressed id only when none of the sender's own conversations matched", () => {
    expect(conversationIdToLookUp(input)).toBe('c1');
    expect(conversationIdToLookUp({ ...input, records: [{ ...ours, primary_channel: email.from }] })).toBe(
      undefined,
    );
    expect(conversationIdToLookUp({ ...input, message: { ...email, email: undefined } })).toBeUndefined();
  });

  it.each<[string, ConversationRecord, SenderTrust, Partial<Routing>]>([
    ['our active conversation', ours, { trusted: true }, { type: 'enqueue', reason: 'sender_mismatch' }],
    ['an untrusted sender', ours, { trusted: false, reason: 'spam' }, { type: 'enqueue', reason: 'spam' }],
    ['another company', { ...ours, company_id: 'company-b' }, { trusted: true }, { type: 'unknown-sender' }],
    [
      'a closed one',
      { ...ours, conversation_status: 'closed' },
      { trusted: true },
      { type: 'unknown-sender' },
    ],
    [
      'one that already has this message',
      { ...ours, receipts: { [receiptAttribute(email.messageId)]: -1 } },
      { trusted: true },
      { type: 'duplicate' },
    ],
  ])('decides for %s', (_name, addressed, sender, expected) => {
    expect(routeWebhook({ ...input, sender, addressed })).toMatchObject(expected);
  });
});

describe('afterClaim: what only the claim winner learns', () => {
  it.each([
    ['AI, budget left', { target: 'ai' as const }, {}, true, { target: 'ai' }],
    [
      'AI, budget used up',
      { target: 'ai' as const },
      {},
      false,
      { target: 'handoff', reason: 'quota_exceeded' },
    ],
    [
      'AI, unreadable (too large), budget used up',
      { target: 'ai' as const },
      { unprocessed: 'too_large' as const },
      false,
      { target: 'handoff', reason: 'too_large' },
    ],
    [
      'already for a human',
      { target: 'handoff' as const, reason: 'help' as const },
      { unprocessed: 'unprocessable' as const },
      false,
      { target: 'handoff', reason: 'help' },
    ],
  ])('%s', (_name, route, facts, aiBudgetLeft, expected) => {
    expect(afterClaim(route, { ...facts, aiBudgetLeft })).toEqual(expected);
  });
});

describe('selectConversation', () => {
  it('picks the most recently updated live conversation on the same company channel', () => {
    const records = [
      conversation({ conversation_id: 'old', updated_at: '2026-01-01T00:00:00Z' }),
      conversation({ conversation_id: 'new', updated_at: '2026-02-01T00:00:00Z' }),
      conversation({
        conversation_id: 'closed',
        conversation_status: 'closed',
        updated_at: '2026-03-01T00:00:00Z',
      }),
      conversation({
        conversation_id: 'other',
        company_channel: '+19999999999',
        updated_at: '2026-04-01T00:00:00Z',
      }),
    ];

    expect(selectConversation(records, recipient)?.conversation_id).toBe('new');
  });

  it('treats closed and archived conversations as none', () => {
    const records = [
      conversation({ conversation_status: 'closed' }),
      conversation({ conversation_status: 'archived' }),
    ];

    expect(selectConversation(records, recipient)).toBeUndefined();
  });

  it('matches an addressed conversation of the same company directly, ignoring the company channel', () => {
    const records = [
      conversation({ conversation_id: 'target', company_channel: 'elsewhere', company_id: 'company-a' }),
      conversation(),
    ];

    expect(selectConversation(records, recipient, 'target')?.conversation_id).toBe('target');
  });

  it("ignores a plus-address that names another company's conversation (as if none were given)", () => {
    const records = [
      conversation({
        conversation_id: 'theirs',
        company_channel: 'other@b.example',
        company_id: 'company-b',
      }),
      conversation({ conversation_id: 'ours', company_id: 'company-a' }),
    ];

    expect(selectConversation(records, recipient, 'theirs')?.conversation_id).toBe('ours');
    expect(selectConversation(records.slice(0, 1), recipient, 'theirs')).toBeUndefined();
  });

  it('matches a record without company id only through the same company channel', () => {
    const legacy = conversation({ conversation_id: 'legacy', company_channel: 'other@b.example' });

    expect(selectConversation([legacy], recipient, 'legacy')).toBeUndefined();
    expect(
      selectConversation([{ ...legacy, company_channel: '+14155550100' }], recipient, 'legacy')
        ?.conversation_id,
    ).toBe('legacy');
  });
});
