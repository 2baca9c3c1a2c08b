import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ChannelRegistry } from '../../app/ports.js';
import { CHANNEL_TYPES, type ChannelType } from '../../domain/channel.js';
import { isMailgunApiHost } from '../../domain/mailgun-api-host.js';
import type { RegistryEntry } from '../../domain/types.js';
import { TABLES } from '../../resources.js';
import { dependencyCall } from '../dependency-call.js';

/** DynamoDB refuses empty key values and partition keys over 2048 bytes. */
const MAX_PARTITION_KEY_BYTES = 2048;

export function isStorableKey(value: string): boolean {
  return value.length > 0 && Buffer.byteLength(value, 'utf8') <= MAX_PARTITION_KEY_BYTES;
}

/** CompanyChannels: one GetItem by the provider's recipient address. */
export class DynamoDbChannelRegistry implements ChannelRegistry {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async find(channelAddress: string): Promise<RegistryEntry | undefined> {
    // Looked up before any signature check: a key DynamoDB cannot hold cannot be registered, and asking for it
    // would be a ValidationException, i.e. a 5xx for an unauthenticated request.
    if (!isStorableKey(channelAddress)) return undefined;
    const result = await dependencyCall('registry', () =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { [TABLES.companyChannels.partitionKey.name]: channelAddress },
        }),
      ),
    );
    const item = result.Item;
    if (!item) return undefined;
    // A half-written registry item cannot verify anything: treat it as absent rather than fail open.
    const required = ['channel_type', 'company_id', 'project_id', 'company_name', 'credentials_reference'];
    if (required.some((name) => typeof item[name] !== 'string')) return undefined;
    if (!CHANNEL_TYPES.includes(item.channel_type as ChannelType)) return undefined;
    // Any other value could send the tenant's API key to a host that is not Mailgun's: the entry is unusable.
    if (item.mailgun_api_host !== undefined && !isMailgunApiHost(item.mailgun_api_host)) return undefined;
    return item as RegistryEntry;
  }
}
