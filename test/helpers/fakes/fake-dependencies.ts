import { AsyncLocalDeadline } from '../../../src/adapters/async-local-deadline.js';
import type { Dependencies } from '../../../src/app/ports.js';
import type { ConversationRecord, RegistryEntry } from '../../../src/domain/types.js';
import { DEMO, demoConversationItem, demoRegistryItems } from '../../../src/kit/demo-data.js';
import { InMemoryMetrics } from '../../../src/local/in-memory-metrics.js';
import type { ChannelType } from '../../../src/resources.js';
import { InMemoryAttachmentStore, InMemoryMailgunStorage } from './in-memory-attachments.js';
import { InMemoryConversations } from './in-memory-conversations.js';
import {
  InMemoryOutbound,
  InMemoryQueue,
  InMemoryRegistry,
  InMemorySecrets,
  InMemoryTtlClaims,
} from './in-memory-ports.js';
import { RecordingLogger } from './recording-logger.js';
import { SteppableClock } from './steppable-clock.js';

/** Every port of `Dependencies` in memory, typed concretely so a test can seed, break and inspect each one. */
export interface FakeDependencies extends Dependencies {
  readonly registry: InMemoryRegistry;
  readonly secrets: InMemorySecrets;
  readonly conversations: InMemoryConversations;
  readonly queue: InMemoryQueue;
  readonly ledger: InMemoryTtlClaims;
  readonly replayGuard: InMemoryTtlClaims;
  readonly outbound: InMemoryOutbound;
  readonly clock: SteppableClock;
  readonly logger: RecordingLogger;
  readonly metrics: InMemoryMetrics;
  readonly attachments: InMemoryAttachmentStore;
  readonly mailgunStorage: InMemoryMailgunStorage;
  readonly conversationsById: InMemoryConversations;
}

export const DEMO_SECRETS = {
  twilio: { account_sid: DEMO.accountSid, auth_token: DEMO.authToken },
  mailgun: { signing_key: DEMO.signingKey, api_key: 'local-demo-api-key', domain: 'mail.cucumber.example' },
} as const;

/**
 * Fresh fakes holding the demo company: its three channels in the registry and their secrets. No network, no
 * emulator; the clock is frozen until the test steps it.
 */
export function fakeDependencies(): FakeDependencies {
  const registry = new InMemoryRegistry();
  for (const item of demoRegistryItems()) registry.put(item as unknown as RegistryEntry);
  const secrets = new InMemorySecrets();
  secrets.put(DEMO.credentials.whatsapp, DEMO_SECRETS.twilio);
  secrets.put(DEMO.credentials.sms, DEMO_SECRETS.twilio);
  secrets.put(DEMO.credentials.email, DEMO_SECRETS.mailgun);
  const conversations = new InMemoryConversations();
  const attachments = new InMemoryAttachmentStore();
  return {
    registry,
    secrets,
    conversations,
    conversationsById: conversations,
    attachments,
    mailgunStorage: new InMemoryMailgunStorage(attachments),
    queue: new InMemoryQueue(),
    ledger: new InMemoryTtlClaims(),
    replayGuard: new InMemoryTtlClaims(),
    outbound: new InMemoryOutbound(),
    clock: new SteppableClock(),
    logger: new RecordingLogger(),
    metrics: new InMemoryMetrics(),
    deadline: new AsyncLocalDeadline(),
  };
}

/** Puts a demo-company conversation into the fake table and returns it as the use case reads it. */
export function seedFakeConversation(
  deps: FakeDependencies,
  channel: ChannelType,
  sender: string,
  options: {
    conversationId?: string;
    handoff?: boolean;
    status?: 'active' | 'closed';
    optedOut?: boolean;
  } = {},
): ConversationRecord {
  const { conversationId = `conv-${channel}-1`, ...rest } = options;
  const item = demoConversationItem(channel, sender, conversationId, { ...rest, now: deps.clock.now() });
  const record = { ...item, receipts: {} } as unknown as ConversationRecord;
  deps.conversations.put(record);
  return record;
}

/** Empties every record the fakes keep (calls, queued messages, sends, log lines): for loops such as the bench. */
export function clearRecords(deps: FakeDependencies): void {
  for (const fake of [
    deps.registry,
    deps.secrets,
    deps.conversations,
    deps.queue,
    deps.ledger,
    deps.replayGuard,
  ]) {
    fake.faults.calls.length = 0;
  }
  deps.outbound.faults.calls.length = 0;
  deps.outbound.sent.length = 0;
  deps.queue.messages.length = 0;
  deps.logger.lines.length = 0;
}
