import { MAILGUN_API_HOSTS } from '../domain/mailgun-api-host.js';
import { DEMO } from '../kit/demo-data.js';
import { CHANNEL_TYPES, type ChannelType, HEARTBEAT, META } from '../resources.js';
import { UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { CommandSpec } from './command-spec.js';
import { yesFlag } from './confirm-stage.js';
import { putItem, scanAll, TABLE_NAMES, tableFlag } from './dynamo-tables.js';
import { addressCell, cellText, printItems, printJson } from './format.js';
import { booleanFlag, choice, parseAction, requiredFlag, stringFlag } from './parse-flags.js';
import { removeRegistryEntry } from './registry-remove.js';
import { endpointOverrideFlag, gatewayUrlFlag } from './stack-target.js';
import { dynamoTarget, stageFlag, withDynamoTarget } from './stage-tables.js';

const OPTIONAL_ATTRIBUTES = [
  'fallback-message',
  'fallback-content-sid',
  'website-url',
  'contact-phone',
  'from-address',
  'messaging-service-sid',
] as const;

export const REGISTRY_SPEC: CommandSpec = {
  usage: 'registry add|list|remove [--address ADDRESS] [options]',
  summary:
    'The channel registry (CompanyChannels): which company owns a WhatsApp number, SMS number or email address, ' +
    'and which secret verifies its webhooks.',
  flags: {
    address: {
      type: 'string',
      placeholder: 'ADDRESS',
      description:
        'add, remove: the address as the provider sends it (whatsapp:+1415…, +1415…, replies@mail.example.com)',
    },
    channel: {
      type: 'string',
      placeholder: 'TYPE',
      description: 'add: whatsapp|sms|email (default: from the address)',
    },
    'company-id': {
      type: 'string',
      placeholder: 'ID',
      description: `add: default ${DEMO.company.company_id}`,
    },
    'project-id': {
      type: 'string',
      placeholder: 'ID',
      description: `add: default ${DEMO.company.project_id}`,
    },
    'company-name': {
      type: 'string',
      placeholder: 'NAME',
      description: `add: default ${DEMO.company.company_name}`,
    },
    'credentials-ref': {
      type: 'string',
      placeholder: 'REF',
      description: "add: secret name (default: the demo company's secret for the channel)",
    },
    ...Object.fromEntries(
      OPTIONAL_ATTRIBUTES.map((name) => [
        name,
        { type: 'string', placeholder: 'VALUE', description: `add: ${name.replaceAll('-', '_')}` } as const,
      ]),
    ),
    provider: {
      type: 'string',
      placeholder: 'NAME',
      description:
        'add, email: mailgun (default) or ses (Amazon SES inbound through SNS, fallback through SESv2); ' +
        'WhatsApp: twilio (default) or meta (meta:<phone_number_id>, Meta Cloud API)',
    },
    'mailgun-api-host': {
      type: 'string',
      placeholder: 'HOST',
      description: `add, email via Mailgun: the account's API region, ${MAILGUN_API_HOSTS.join(' (default) or ')}`,
    },
    replace: { type: 'boolean', description: 'add: overwrite an existing entry' },
    yes: yesFlag,
    url: gatewayUrlFlag('local gateway; the DynamoDB endpoint is asked of it'),
    endpoint: endpointOverrideFlag('dynamodb'),
    stage: stageFlag,
    table: tableFlag(TABLE_NAMES.companyChannels),
    unmasked: { type: 'boolean', description: 'list: show full numbers and addresses' },
  },
  examples: [
    'registry list',
    'registry add --address whatsapp:+14155551234 --fallback-message "Please apply on our website"',
    'registry add --address jobs@mail.example.com --company-id acme --company-name Acme ' +
      '--credentials-ref email-credentials/acme/hiring/mailgun',
    'registry list --stage prod   (the deployed prod tables, with your AWS credentials)',
    'registry remove --address whatsapp:+14155551234',
    'registry remove --stage prod --address jobs@mail.example.com   (asks first; --yes for scripts)',
  ],
};

export function channelOfAddress(address: string): ChannelType {
  if (address.startsWith('whatsapp:')) return 'whatsapp';
  return address.includes('@') ? 'email' : 'sms';
}

export async function registryCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseAction(REGISTRY_SPEC, argv, io, ['add', 'list', 'remove'] as const);
  if (!parsed) return 0;
  const { values, json, action } = parsed;
  const target = await dynamoTarget(values, io.env);
  const { doc } = target;
  const tableName = target.table('companyChannels', 'table');
  return withDynamoTarget(target, { table: tableName }, async () => {
    if (action === 'list') {
      // A deployed stage's own heartbeat entry is no tenant: named once below the table, not listed as a company.
      const all = await scanAll(doc, tableName);
      const items = all.filter((item) => item.channel_address !== HEARTBEAT.address);
      const heartbeat = items.length !== all.length;
      const show = addressCell(booleanFlag(values, 'unmasked'));
      printItems(io, {
        json,
        items,
        empty: `${tableName} is empty`,
        row: (item) => ({
          channel_address: show(item.channel_address),
          channel_type: cellText(item.channel_type),
          company_id: cellText(item.company_id),
          credentials_reference: cellText(item.credentials_reference),
        }),
      });
      if (heartbeat && !json) io.out(`(and ${HEARTBEAT.address}: the stage's heartbeat entry, not a tenant)`);
      return 0;
    }
    const raw = requiredFlag(values, 'address', REGISTRY_SPEC);
    if (action === 'remove') {
      const address = raw.includes('@') ? raw.trim().toLowerCase() : raw.trim();
      return removeRegistryEntry(io, target, { table: tableName, address, values, json });
    }
    const channel = choice(
      stringFlag(values, 'channel') ?? channelOfAddress(raw),
      CHANNEL_TYPES,
      'channel',
      REGISTRY_SPEC,
    );
    // Email recipients are matched lower-cased (architecture.md, data model); numbers exactly as sent.
    const address = channel === 'email' ? raw.trim().toLowerCase() : raw.trim();
    const metaNumber = channel === 'whatsapp' && address.startsWith(META.channelAddressPrefix);
    if (channel === 'whatsapp' && !address.startsWith('whatsapp:') && !metaNumber)
      throw new UsageError(
        'a WhatsApp channel address starts with "whatsapp:" (as Twilio sends To) or "meta:" (meta:<phone_number_id>)',
      );
    const item: Record<string, unknown> = {
      channel_address: address,
      channel_type: channel,
      company_id: stringFlag(values, 'company-id') ?? DEMO.company.company_id,
      project_id: stringFlag(values, 'project-id') ?? DEMO.company.project_id,
      company_name: stringFlag(values, 'company-name') ?? DEMO.company.company_name,
      credentials_reference:
        stringFlag(values, 'credentials-ref') ??
        (metaNumber ? DEMO.meta.credentials : DEMO.credentials[channel]),
    };
    for (const name of OPTIONAL_ATTRIBUTES) {
      const value = stringFlag(values, name);
      if (value !== undefined) item[name.replaceAll('-', '_')] = value;
    }
    const provider = stringFlag(values, 'provider');
    if (provider !== undefined) {
      if (channel === 'sms') throw new UsageError('--provider is for email and WhatsApp addresses only');
      item.provider =
        channel === 'email'
          ? choice(provider, ['mailgun', 'ses'] as const, 'provider', REGISTRY_SPEC)
          : choice(provider, ['twilio', 'meta'] as const, 'provider', REGISTRY_SPEC);
      if ((item.provider === 'meta') !== metaNumber)
        throw new UsageError('Meta numbers are registered as meta:<phone_number_id> with --provider meta');
    } else if (metaNumber) {
      // Only `provider: "meta"` entries receive Meta's webhooks.
      item.provider = 'meta';
    }
    const mailgunApiHost = stringFlag(values, 'mailgun-api-host');
    if (mailgunApiHost !== undefined) {
      if (channel !== 'email' || provider === 'ses')
        throw new UsageError('--mailgun-api-host is for email addresses received through Mailgun only');
      item.mailgun_api_host = choice(mailgunApiHost, MAILGUN_API_HOSTS, 'mailgun-api-host', REGISTRY_SPEC);
    }
    await putItem(doc, {
      table: tableName,
      item,
      keyAttribute: 'channel_address',
      replace: booleanFlag(values, 'replace'),
      exists: `${address} is already registered`,
    });
    if (json) printJson(io, { added: item });
    else
      io.out(
        `registered ${address} (${channel}) for ${item.company_id}, secret ${item.credentials_reference}`,
      );
    return 0;
  });
}
