import { ForbiddenError, PayloadTooLargeError } from '../../domain/errors.js';
import { verifyMetaSignature } from '../../domain/meta-signature.js';
import { checkMetaVerification } from '../../domain/meta-verification.js';
import { type MetaMessageItem, type MetaStatusItem, parseMetaWebhook } from '../../domain/meta-webhook.js';
import type { InboundMessage, RegistryEntry } from '../../domain/types.js';
import type { Dependencies, SecretValue } from '../ports.js';
import type { VerifiedWebhook } from '../verify-webhook.js';
import type { WebhookRequest } from '../webhook-request.js';
import type { Authenticated, ProviderFrontEnd } from './front-end.js';

const SIGNATURE_HEADER = 'x-hub-signature-256';

function strings(secret: SecretValue, ...names: string[]): string[] {
  return names.map((name) => secret[name]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/**
 * Meta's WhatsApp Cloud API on `/whatsapp/meta` (the tech-provider model: one Meta app per deployment). GET is
 * Meta's subscription check, answered with the challenge for the app's verify token. POST is signed with the app
 * secret over the raw bytes (`X-Hub-Signature-256`), checked before the body is parsed: a missing or wrong
 * signature is a 403 before any registry read. A verified batch becomes one message per
 * `entry[].changes[].value.messages[]` (and one status per `statuses[]`), each with its tenant's registry entry
 * (`meta:<phone_number_id>`) and access token (media, fallback replies).
 */
export function metaFrontEnd(): ProviderFrontEnd {
  return {
    provider: 'meta',
    authenticate(request, deps) {
      return request.method === 'GET' ? verification(request, deps) : delivery(request, deps);
    },
  };
}

async function appSecret(deps: Dependencies, accepts: (secret: SecretValue) => boolean): Promise<boolean> {
  const reference = deps.meta?.appCredentialsRef;
  if (!reference) return false;
  if (accepts(await deps.secrets.get(reference))) return true;
  // Rotated since cached: one rate-limited re-fetch, so forgeries cannot turn into Secrets Manager calls.
  const fresh = await deps.secrets.refresh(reference);
  return fresh !== undefined && accepts(fresh);
}

async function verification(request: WebhookRequest, deps: Dependencies): Promise<Authenticated> {
  let challenge: string | undefined;
  const accepted = await appSecret(deps, (secret) => {
    const result = checkMetaVerification(request.query, strings(secret, 'verify_token')[0] ?? '');
    if (result.accepted) challenge = result.challenge;
    return result.accepted;
  });
  if (!accepted || challenge === undefined) throw new ForbiddenError('signature');
  return { kind: 'control', outcome: { kind: 'challenge', challenge } };
}

async function delivery(request: WebhookRequest, deps: Dependencies): Promise<Authenticated> {
  const maxBytes = request.route.maxBodyBytes;
  if (request.body.length > maxBytes) throw new PayloadTooLargeError(`Body larger than ${maxBytes} bytes`);
  const header = request.headers[SIGNATURE_HEADER];
  if (!header) throw new ForbiddenError('signature');
  const signed = await appSecret(deps, (secret) =>
    verifyMetaSignature({
      rawBody: request.body,
      header,
      appSecrets: strings(secret, 'app_secret', 'previous_app_secret'),
    }),
  );
  if (!signed) throw new ForbiddenError('signature');
  const items = parseMetaWebhook(request.body.toString('utf8'));
  const tenants = new Tenants(deps);
  const validatedAt = deps.clock.now();
  const messages: VerifiedWebhook[] = [];
  const refused: Error[] = [];
  for (const item of items.messages) {
    const verified = await verifiedMessage(item, tenants, deps, validatedAt);
    if (verified) messages.push(verified);
    // Authentic, but for a number no tenant registered (yet): refused after the others are processed, so Meta
    // redelivers it (for up to 7 days) while the rest of the batch meets its claims.
    else refused.push(new ForbiddenError('unknown-recipient'));
  }
  for (const item of items.statuses) {
    const tenant = await tenants.find(item.registryAddress);
    // A status of a number no tenant registered is only a receipt: nothing to record it against.
    if (tenant) messages.push(statusOf(item, tenant, validatedAt));
  }
  if (items.skipped > 0)
    deps.logger.warn('Meta webhook items without a usable id or sender skipped', { skipped: items.skipped });
  return { kind: 'messages', messages, ...(refused.length > 0 ? { refused } : {}) };
}

interface Tenant {
  readonly registry: RegistryEntry;
  readonly secret: SecretValue;
}

/** One registry read and one secret read per phone number id of the batch (both cached across requests). */
class Tenants {
  private readonly byAddress = new Map<string, Promise<Tenant | undefined>>();
  constructor(private readonly deps: Dependencies) {}

  find(address: string): Promise<Tenant | undefined> {
    let tenant = this.byAddress.get(address);
    if (!tenant) {
      tenant = this.load(address);
      this.byAddress.set(address, tenant);
    }
    return tenant;
  }

  private async load(address: string): Promise<Tenant | undefined> {
    const registry = await this.deps.registry.find(address);
    if (registry?.channel_type !== 'whatsapp' || registry.provider !== 'meta') return undefined;
    return { registry, secret: await this.deps.secrets.get(registry.credentials_reference) };
  }
}

async function verifiedMessage(
  item: MetaMessageItem,
  tenants: Tenants,
  deps: Dependencies,
  validatedAt: Date,
): Promise<VerifiedWebhook | undefined> {
  const tenant = await tenants.find(item.registryAddress);
  if (!tenant) return undefined;
  const base = deps.meta?.graphApiBaseUrl ?? '';
  const message: InboundMessage = {
    ...item.message,
    ...(item.media
      ? {
          media: [
            { url: `${base}/${item.media.id}`, content_type: item.media.mimeType, media_id: item.media.id },
          ],
        }
      : {}),
    ...(item.unsupportedType !== undefined ? { unsupported_type: item.unsupportedType } : {}),
  };
  const accessToken = strings(tenant.secret, 'access_token')[0] ?? '';
  return {
    message,
    registry: tenant.registry,
    secret: tenant.secret,
    validatedAt,
    attachments: item.media
      ? {
          kind: 'provider-media',
          source: { kind: 'meta', accessToken, phoneNumberId: item.phoneNumberId, media: [item.media] },
        }
      : { kind: 'none' },
  };
}

function statusOf(item: MetaStatusItem, tenant: Tenant, validatedAt: Date): VerifiedWebhook {
  return {
    message: item.message,
    registry: tenant.registry,
    secret: tenant.secret,
    validatedAt,
    attachments: { kind: 'none' },
  };
}
