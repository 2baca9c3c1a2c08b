import type { Provider } from '../../domain/provider.js';
import type { Outcome } from '../outcome.js';
import type { Dependencies } from '../ports.js';
import type { VerifiedWebhook } from '../verify-webhook.js';
import type { WebhookRequest } from '../webhook-request.js';

/** A provider's answer to a control request (a challenge, a subscription confirmation): no message, no quota. */
type ControlOutcome = Extract<Outcome, { kind: 'subscription' | 'challenge' }>;

/**
 * What a front end makes of one request: the verified messages it carries (zero, one, or a batch: an SES
 * notification for several registered recipients, a Meta delivery of several messages and statuses), or the
 * answer to a control request. Nothing that is not authentic gets this far: a refusal is thrown (WebhookError).
 */
export type Authenticated =
  | {
      readonly kind: 'messages';
      readonly messages: readonly VerifiedWebhook[];
      /**
       * Authentic items that could not become messages (a Meta number no tenant registered yet): the request must
       * not be acknowledged, but the other messages are processed first, so one tenant's gap blocks no one else.
       */
      readonly refused?: readonly Error[];
    }
  | { readonly kind: 'control'; readonly outcome: ControlOutcome };

/**
 * Everything that differs between providers before the shared pipeline: bounds, parsing, the one registry read
 * allowed before verification, signature (per-tenant secret, app secret or certificate), replay guards,
 * normalising to channel-neutral messages and saying where their attachments come from. The use case
 * (`process-webhook.ts`) runs every message it returns through the same routing, claim and queue.
 */
export interface ProviderFrontEnd {
  readonly provider: Provider;
  authenticate(request: WebhookRequest, deps: Dependencies): Promise<Authenticated>;
}
