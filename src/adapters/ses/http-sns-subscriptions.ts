import type { SnsSubscriptions } from '../../app/ports.js';
import { dependencyCall } from '../dependency-call.js';
import { boundedGet } from './bounded-fetch.js';

/**
 * Confirms a subscription by visiting its SubscribeURL (SNS answers with a small XML ConfirmSubscriptionResponse).
 * Any non-2xx answer throws, so the webhook answers 5xx and SNS delivers the confirmation again.
 */
export class HttpSnsSubscriptions implements SnsSubscriptions {
  constructor(private readonly options: { readonly timeoutMs?: number } = {}) {}

  async confirm(subscribeUrl: string): Promise<void> {
    await dependencyCall(
      'sns-subscription',
      () => boundedGet(subscribeUrl, { timeoutMs: this.options.timeoutMs ?? 2_000, maxBytes: 64 * 1024 }),
      () => undefined,
    );
  }
}
