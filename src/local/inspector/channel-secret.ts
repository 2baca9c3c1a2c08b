import type { SecretValue } from '../../app/ports.js';
import { splitRecipient } from '../../domain/mailgun-message.js';
import { twilioRegistryAddress } from '../../domain/twilio-message.js';
import type { ChannelType } from '../../resources.js';
import { InspectorError, type InspectorStack } from './inspector-stack.js';

/**
 * The secret the gateway will verify this request with, found the way the gateway finds it: registry entry of the
 * company-side address, then its `credentials_reference` in the stack's secret store.
 */
export async function channelSecret(
  stack: InspectorStack,
  channel: ChannelType,
  fields: ReadonlyArray<readonly [string, string]>,
): Promise<SecretValue> {
  let address: string;
  try {
    address =
      channel === 'email'
        ? splitRecipient(fields.find(([name]) => name === 'recipient')?.[1] ?? '').address
        : twilioRegistryAddress(fields);
  } catch (error) {
    throw new InspectorError(400, `cannot tell the company channel: ${(error as Error).message}`);
  }
  const entry = await stack.deps.registry.find(address);
  if (!entry)
    throw new InspectorError(400, `${address} is not in the channel registry, so nothing can sign for it`);
  return stack.deps.secrets.get(entry.credentials_reference);
}

export function secretString(secret: SecretValue, name: string): string {
  const value = secret[name];
  if (typeof value !== 'string' || value === '') throw new InspectorError(500, `the secret has no ${name}`);
  return value;
}
