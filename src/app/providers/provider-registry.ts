import type { Provider } from '../../domain/provider.js';
import { SES } from '../../resources.js';
import type { WebhookRequest } from '../webhook-request.js';
import type { ProviderFrontEnd } from './front-end.js';
import { signedFrontEnd } from './signed-front-end.js';

/**
 * One registration per provider front end: the route and methods it serves and, where two providers share a route,
 * the header that tells them apart. `load` imports the provider's modules on first use only (email parsers, SNS,
 * the Graph API client), so a cold start pays for the providers its traffic uses and nothing else.
 */
interface ProviderRegistration {
  readonly provider: Provider;
  readonly path: `/${string}`;
  readonly methods: readonly string[];
  readonly when?: (headers: Readonly<Record<string, string>>) => boolean;
  readonly load: () => Promise<ProviderFrontEnd>;
}

/** The one registry: first match wins (SNS's header before Mailgun, which owns the rest of `/email`). */
const PROVIDER_REGISTRATIONS: readonly ProviderRegistration[] = [
  {
    provider: 'ses',
    path: '/email',
    methods: ['POST'],
    // Amazon SNS names its delivery type in this header; Mailgun never sends it.
    when: (headers) => headers[SES.snsMessageTypeHeader] !== undefined,
    load: () => import('./ses-front-end.js').then((m) => m.sesFrontEnd()),
  },
  {
    provider: 'mailgun',
    path: '/email',
    methods: ['POST'],
    load: () => import('../channels/mailgun-protocol.js').then((m) => signedFrontEnd(m.mailgunProtocol())),
  },
  {
    provider: 'twilio',
    path: '/whatsapp',
    methods: ['POST'],
    load: () =>
      import('../channels/twilio-protocol.js').then((m) => signedFrontEnd(m.twilioProtocol('whatsapp'))),
  },
  {
    provider: 'meta',
    path: '/whatsapp/meta',
    methods: ['GET', 'POST'],
    load: () => import('./meta-front-end.js').then((m) => m.metaFrontEnd()),
  },
  {
    provider: 'twilio',
    path: '/sms',
    methods: ['POST'],
    load: () => import('../channels/twilio-protocol.js').then((m) => signedFrontEnd(m.twilioProtocol('sms'))),
  },
];

const loaded = new Map<ProviderRegistration, Promise<ProviderFrontEnd>>();

function registrationFor(
  request: Pick<WebhookRequest, 'route' | 'method' | 'headers'>,
): ProviderRegistration | undefined {
  return PROVIDER_REGISTRATIONS.find(
    (r) =>
      r.path === request.route.path &&
      r.methods.includes(request.method) &&
      (r.when === undefined || r.when(request.headers)),
  );
}

/** The front end serving this route, method and headers (loaded once per runtime), or undefined: no such route. */
export function frontEndFor(
  request: Pick<WebhookRequest, 'route' | 'method' | 'headers'>,
): Promise<ProviderFrontEnd> | undefined {
  const registration = registrationFor(request);
  if (!registration) return undefined;
  let frontEnd = loaded.get(registration);
  if (!frontEnd) {
    frontEnd = registration.load();
    // A failed import is not cached: the next request tries again.
    frontEnd.catch(() => loaded.delete(registration));
    loaded.set(registration, frontEnd);
  }
  return frontEnd;
}
