import type { ChannelType } from '../resources.js';

/** The company a channel or a conversation belongs to (copied onto both items). */
interface CompanyFields {
  readonly company_id: string;
  readonly project_id: string;
  readonly company_name: string;
}

export interface RegistrySeed {
  readonly address: string;
  readonly channel: ChannelType;
  readonly credentialsReference: string;
  readonly company: CompanyFields;
  readonly extra?: Readonly<Record<string, string>>;
}

export interface ConversationSeed {
  /** The sender as stored (`primary_channel`): E.164 for WhatsApp/SMS, the address for email. */
  readonly sender: string;
  readonly conversationId: string;
  readonly channel: ChannelType;
  readonly companyChannel: string;
  readonly credentialsReference: string;
  readonly company: CompanyFields;
  readonly status?: 'active' | 'closed' | 'archived';
  readonly handoff?: boolean;
  readonly optedOut?: boolean;
  readonly now?: Date;
}

/**
 * A Company Channels item as the gateway reads it; the one shape the demo data, the bench and the tests seed.
 *
 * @example
 * registryItem({ address: '+14155550100', channel: 'sms', credentialsReference: 'sms-credentials/…', company })
 */
export function registryItem(seed: RegistrySeed): Record<string, unknown> {
  return {
    channel_address: seed.address,
    channel_type: seed.channel,
    credentials_reference: seed.credentialsReference,
    ...seed.company,
    ...seed.extra,
  };
}

/** A Conversations item as the gateway reads it (no receipts yet). */
export function conversationItem(seed: ConversationSeed): Record<string, unknown> {
  const now = (seed.now ?? new Date()).toISOString();
  return {
    primary_channel: seed.sender,
    conversation_id: seed.conversationId,
    conversation_status: seed.status ?? 'active',
    hand_off_to_human: seed.handoff ?? false,
    channel_type: seed.channel,
    company_channel: seed.companyChannel,
    credentials_reference: seed.credentialsReference,
    ...seed.company,
    ...(seed.optedOut === undefined ? {} : { opted_out: seed.optedOut }),
    created_at: now,
    updated_at: now,
  };
}
