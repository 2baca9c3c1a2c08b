import type { InboundMessage, OutboundMessage, RegistryEntry } from './types.js';

/** Sensible default when the registry has no `fallback_message` (seed §4.1: inactive + alternative contacts). */
export function fallbackText(registry: RegistryEntry): string {
  if (registry.fallback_message) return registry.fallback_message;
  const contacts = [
    registry.website_url ? `visit ${registry.website_url}` : undefined,
    registry.contact_phone ? `call ${registry.contact_phone}` : undefined,
  ].filter(Boolean);
  const reach = contacts.length > 0 ? ` To reach us, ${contacts.join(' or ')}.` : '';
  return `Thanks for your message. This conversation with ${registry.company_name} is no longer active, so this reply was not read.${reach}`;
}

/** Template only: the sender's subject is never echoed, so the reply cannot carry an attacker's text. */
function fallbackSubject(registry: RegistryEntry): string {
  return `Your message to ${registry.company_name}`;
}

/**
 * One mailbox however it is written: lower-cased, `+tag` removed (`Victim+1@X.example` → `victim@x.example`), so
 * plus-address variants of one inbox share a single 24 h slot. Phone numbers are already E.164.
 */
export function normalisedMailbox(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at <= 0) return lower;
  const plus = lower.indexOf('+');
  return plus !== -1 && plus < at ? `${lower.slice(0, plus)}${lower.slice(at)}` : lower;
}

/** Key of the 24 h fallback slot (and of an opt-out without a conversation): per sender mailbox per company channel. */
export function fallbackLedgerKey(message: InboundMessage): string {
  return `${message.channel}#${message.to}#${normalisedMailbox(message.from)}`;
}

/**
 * The reply for a verified message from a sender with no live conversation. WhatsApp uses the approved template
 * (`fallback_content_sid`) when configured; otherwise a free-form Body is allowed because the inbound message we
 * are answering has just opened WhatsApp's 24 h customer-service window.
 */
export function buildFallbackMessage(message: InboundMessage, registry: RegistryEntry): OutboundMessage {
  const body = fallbackText(registry);
  if (message.channel === 'email') {
    return {
      channel: 'email',
      from: registry.from_address ?? message.to,
      to: message.from,
      body,
      subject: fallbackSubject(registry),
      inReplyTo: message.messageId,
      ...(registry.provider ? { provider: registry.provider } : {}),
      ...(registry.mailgun_api_host ? { mailgunApiHost: registry.mailgun_api_host } : {}),
    };
  }
  // Meta addresses a WhatsApp user by number; Twilio by `whatsapp:`-prefixed number.
  const twilioWhatsApp = message.channel === 'whatsapp' && registry.provider !== 'meta';
  const to = twilioWhatsApp ? `whatsapp:${message.from}` : message.from;
  return {
    channel: message.channel,
    from: message.to,
    to,
    body,
    ...(registry.provider ? { provider: registry.provider } : {}),
    ...(registry.messaging_service_sid ? { messagingServiceSid: registry.messaging_service_sid } : {}),
    ...(twilioWhatsApp && registry.fallback_content_sid
      ? {
          contentSid: registry.fallback_content_sid,
          contentVariables: JSON.stringify({
            1: registry.company_name,
            2: registry.website_url ?? '',
            3: registry.contact_phone ?? '',
          }),
        }
      : {}),
  };
}
