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

function replySubject(subject: string | undefined): string {
  if (!subject) return 'Re: your message';
  return /^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim()}`;
}

/** Key of the 24 h fallback slot: one reply per sender per company channel. */
export function fallbackLedgerKey(message: InboundMessage): string {
  return `${message.channel}#${message.to}#${message.from}`;
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
      subject: replySubject(message.email?.subject),
      inReplyTo: message.messageId,
    };
  }
  const to = message.channel === 'whatsapp' ? `whatsapp:${message.from}` : message.from;
  return {
    channel: message.channel,
    from: message.to,
    to,
    body,
    ...(registry.messaging_service_sid ? { messagingServiceSid: registry.messaging_service_sid } : {}),
    ...(message.channel === 'whatsapp' && registry.fallback_content_sid
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
