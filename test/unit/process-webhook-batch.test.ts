import { beforeEach, describe, expect, it } from 'vitest';
import { processWebhook } from '../../src/app/process-webhook.js';
import type { ProviderFrontEnd } from '../../src/app/providers/front-end.js';
import type { VerifiedWebhook } from '../../src/app/verify-webhook.js';
import { DependencyError } from '../../src/domain/errors.js';
import type { InboundMessage, RegistryEntry } from '../../src/domain/types.js';
import { DEMO } from '../../src/kit/demo-data.js';
import { ROUTES } from '../../src/resources.js';
import {
  type FakeDependencies,
  fakeDependencies,
  seedFakeConversation,
} from '../helpers/fakes/fake-dependencies.js';

/**
 * A request carrying several messages (a Meta batch, an SES notification for several recipients) is acknowledged
 * only when every message is handled: a failure on one is thrown after the others were tried, so the provider
 * redelivers the whole request and the claims make the messages already queued duplicates.
 */
const [A, B, C] = ['+447700900201', '+447700900202', '+447700900203'] as const;
const SENDERS = [A, B, C];
const META_ROUTE = ROUTES.find((r) => r.path === '/whatsapp/meta');

let deps: FakeDependencies;
let registry: RegistryEntry;
beforeEach(async () => {
  deps = fakeDependencies();
  SENDERS.forEach((sender, i) => {
    seedFakeConversation(deps, 'whatsapp', sender, { conversationId: `conv-batch-${i}` });
  });
  registry = (await deps.registry.find(DEMO.whatsappNumber)) as RegistryEntry;
});

function message(from: string, kind: InboundMessage['kind'] = 'message'): InboundMessage {
  return {
    channel: 'whatsapp',
    kind,
    from,
    to: DEMO.whatsappNumber,
    body: 'from a batch',
    messageId: `wamid.batch-${from}-${kind}`,
    ...(kind === 'status' ? { status: { message_status: 'delivered' } } : {}),
  };
}

const batch = (messages: readonly InboundMessage[]): ProviderFrontEnd => ({
  provider: 'meta',
  authenticate: async () => ({
    kind: 'messages',
    messages: messages.map(
      (m): VerifiedWebhook => ({
        message: m,
        registry,
        secret: {},
        validatedAt: deps.clock.now(),
        attachments: { kind: 'none' },
      }),
    ),
  }),
});

const request = () => ({
  route: META_ROUTE ?? (ROUTES[0] as NonNullable<typeof META_ROUTE>),
  channel: 'whatsapp' as const,
  method: 'POST',
  query: {},
  headers: {},
  body: Buffer.from('{}'),
  publicUrl: 'https://hooks.example.com/whatsapp/meta',
  requestId: 'req-batch',
  receivedAt: deps.clock.now(),
});

describe('processWebhook with several messages in one request', () => {
  it('returns one Outcome per message, statuses included, none queued for the statuses', async () => {
    const messages = [message(A), message(B), message(A, 'status')];

    const outcomes = await processWebhook(request(), batch(messages), deps);

    expect(outcomes.map((o) => o.kind)).toEqual(['queued', 'queued', 'status-callback']);
    expect(deps.queue.messages).toHaveLength(2);
  });

  it('a failure on one message is thrown after the others were queued; the redelivery queues only the rest', async () => {
    const messages = SENDERS.map((sender) => message(sender));
    deps.queue.faults.fail('send', { times: 1 });

    await expect(processWebhook(request(), batch(messages), deps)).rejects.toBeInstanceOf(DependencyError);
    expect(deps.queue.messages.map((m) => m.attributes.message_id)).toEqual([
      messages[1]?.messageId,
      messages[2]?.messageId,
    ]);

    const redelivered = await processWebhook(request(), batch(messages), deps);

    expect(redelivered.map((o) => o.kind)).toEqual(['queued', 'duplicate', 'duplicate']);
    expect(deps.queue.messages).toHaveLength(3);
  });
});
