import type {
  ChannelRegistry,
  FallbackLedger,
  MessageQueue,
  OutboundMessage,
  OutboundSender,
  QueueAttributes,
  ReplayGuard,
  SecretStore,
  SecretValue,
} from '../../../src/app/ports.js';
import type { RegistryEntry } from '../../../src/domain/types.js';
import type { QueueKey } from '../../../src/resources.js';
import { FaultPlan } from './fault-plan.js';

export class InMemoryRegistry implements ChannelRegistry {
  readonly faults = new FaultPlan<'find'>();
  private readonly entries = new Map<string, RegistryEntry>();

  put(entry: RegistryEntry): void {
    this.entries.set(entry.channel_address, entry);
  }

  find(channelAddress: string): Promise<RegistryEntry | undefined> {
    return this.faults.run('find', [channelAddress], () => this.entries.get(channelAddress));
  }
}

/**
 * Secrets as a warm runtime sees them: `get` answers from what was cached (`cache`), `refresh` reads the source
 * (`put`) unless the test says the refresh is rate-limited. Rotation = `put` a new value while the cache holds the old.
 */
export class InMemorySecrets implements SecretStore {
  readonly faults = new FaultPlan<'get' | 'refresh'>();
  refreshLimited = false;
  private readonly source = new Map<string, SecretValue>();
  private readonly cached = new Map<string, SecretValue>();

  put(reference: string, value: SecretValue): void {
    this.source.set(reference, value);
  }

  /** What a runtime fetched earlier and still holds (e.g. the token from before a rotation). */
  cache(reference: string, value: SecretValue): void {
    this.cached.set(reference, value);
  }

  get(reference: string): Promise<SecretValue> {
    return this.faults.run('get', [reference], () => this.cached.get(reference) ?? this.read(reference));
  }

  refresh(reference: string): Promise<SecretValue | undefined> {
    return this.faults.run('refresh', [reference], () =>
      this.refreshLimited ? undefined : this.read(reference),
    );
  }

  private read(reference: string): SecretValue {
    const value = this.source.get(reference);
    if (!value) throw new Error(`no secret ${reference}`);
    this.cached.set(reference, value);
    return value;
  }
}

/**
 * The fallback ledger and the replay guard (one conditional put with a TTL, like `DynamoDbTtlClaims`): a key is free
 * when absent or expired.
 */
export class InMemoryTtlClaims implements FallbackLedger, ReplayGuard {
  readonly faults = new FaultPlan<'claim' | 'release' | 'setOptOut'>();
  /** Key → expiry, epoch seconds. */
  readonly held = new Map<string, number>();
  /** Keys of senders who opted out (no TTL: never claimable until cleared). */
  readonly optedOut = new Set<string>();

  claim(key: string, nowMs: number, ttlSeconds: number): Promise<boolean> {
    return this.faults.run('claim', [key, nowMs, ttlSeconds], () => {
      if (this.optedOut.has(key)) return false;
      const nowSeconds = Math.floor(nowMs / 1000);
      const expiry = this.held.get(key);
      if (expiry !== undefined && expiry > nowSeconds) return false;
      this.held.set(key, nowSeconds + ttlSeconds);
      return true;
    });
  }

  /** Token → the binding it was first used with (`claimToken`). */
  readonly bindings = new Map<string, string>();

  claimToken(token: string, binding: string, expiresAtSeconds: number, nowMs: number): Promise<boolean> {
    return this.faults.run('claim', [token, nowMs, expiresAtSeconds], () => {
      const expiry = this.held.get(token);
      const live = expiry !== undefined && expiry > Math.floor(nowMs / 1000);
      if (live && this.bindings.get(token) !== binding) return false;
      this.held.set(token, expiresAtSeconds);
      this.bindings.set(token, binding);
      return true;
    });
  }

  release(key: string): Promise<void> {
    return this.faults.run('release', [key], () => {
      this.held.delete(key);
    });
  }

  setOptOut(key: string, optedOut: boolean, nowMs: number): Promise<void> {
    return this.faults.run('setOptOut', [key, optedOut, nowMs], () => {
      if (optedOut) this.optedOut.add(key);
      else this.optedOut.delete(key);
    });
  }
}

export interface QueuedMessage {
  readonly queue: QueueKey;
  readonly body: string;
  readonly attributes: QueueAttributes;
}

export class InMemoryQueue implements MessageQueue {
  readonly faults = new FaultPlan<'send'>();
  readonly messages: QueuedMessage[] = [];

  send(queue: QueueKey, body: string, attributes: QueueAttributes): Promise<void> {
    return this.faults.run('send', [queue, attributes], () => {
      this.messages.push({ queue, body, attributes });
    });
  }

  /** Parsed bodies (context objects) of the messages on one queue. */
  bodies(queue: QueueKey): Record<string, unknown>[] {
    return this.messages.filter((m) => m.queue === queue).map((m) => JSON.parse(m.body));
  }
}

export class InMemoryOutbound implements OutboundSender {
  readonly faults = new FaultPlan<'send'>();
  readonly sent: { readonly message: OutboundMessage; readonly credentials: SecretValue }[] = [];

  send(message: OutboundMessage, credentials: SecretValue): Promise<void> {
    return this.faults.run('send', [message], () => {
      this.sent.push({ message, credentials });
    });
  }
}
