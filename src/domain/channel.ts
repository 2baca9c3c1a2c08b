/** The channels the gateway serves; `src/resources.ts` builds routes and queues from this list. */
export type ChannelType = 'whatsapp' | 'sms' | 'email';
export const CHANNEL_TYPES: readonly ChannelType[] = ['whatsapp', 'sms', 'email'];
