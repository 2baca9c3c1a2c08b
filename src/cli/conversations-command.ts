import { randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CHANNEL_TYPES } from '../resources.js';
import { CliError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { CommandSpec } from './command-spec.js';
import { yesFlag } from './confirm-stage.js';
import { closeConversation } from './conversations-close.js';
import { demoCompanyChannel } from './credentials.js';
import { putItem, scanAll, TABLE_NAMES, tableFlag } from './dynamo-tables.js';
import { addressCell, cellText, printItems, printJson } from './format.js';
import { booleanFlag, choice, parseAction, requiredFlag, stringFlag } from './parse-flags.js';
import { endpointOverrideFlag, gatewayUrlFlag } from './stack-target.js';
import { dynamoTarget, stageFlag, withDynamoTarget } from './stage-tables.js';

export const CONVERSATIONS_SPEC: CommandSpec = {
  usage: 'conversations add|list|close [--sender ADDRESS] [options]',
  summary:
    'Conversations decide where a reply goes: an active one routes to the AI queue (or HandoffQueue when handed ' +
    "off to a human); no conversation means the fallback reply. `add` copies the company from the channel's " +
    'registry entry.',
  flags: {
    sender: {
      type: 'string',
      placeholder: 'ADDRESS',
      description: 'the end user: +E.164 number or email (add, close: required; list: only this sender)',
    },
    channel: {
      type: 'string',
      placeholder: 'TYPE',
      description: 'add: whatsapp|sms|email (default: from --sender)',
    },
    'company-channel': {
      type: 'string',
      placeholder: 'ADDRESS',
      description:
        'add: registered company address (default: the demo channel); close: only its conversation',
    },
    id: {
      type: 'string',
      placeholder: 'ID',
      description:
        "add: conversation_id (default conv-<random>); close: which one (default: the sender's only open one)",
    },
    status: {
      type: 'string',
      placeholder: 'STATUS',
      description: 'add: active|closed|archived (default active)',
    },
    handoff: { type: 'boolean', description: 'add: hand_off_to_human = true (replies go to HandoffQueue)' },
    replace: { type: 'boolean', description: 'add: overwrite an existing conversation with this id' },
    yes: yesFlag,
    url: gatewayUrlFlag('local gateway; the DynamoDB endpoint is asked of it'),
    endpoint: endpointOverrideFlag('dynamodb'),
    stage: stageFlag,
    table: tableFlag(TABLE_NAMES.conversations),
    'registry-table': tableFlag(TABLE_NAMES.companyChannels),
    unmasked: { type: 'boolean', description: 'list: show full numbers and addresses' },
  },
  examples: [
    'conversations add --sender +447700900999',
    'conversations add --sender +447700900999 --channel sms --handoff',
    'conversations list --sender +447700900123',
    'conversations close --sender +447700900999',
    'conversations close --stage prod --sender +447700900123 --id conv-1234   (asks first; --yes for scripts)',
  ],
};

const E164 = /^\+[1-9]\d{6,14}$/;

/** The conversation key: E.164 without `whatsapp:`, or the lower-cased email address (architecture.md). */
export function primaryChannel(sender: string): string {
  const bare = sender.trim().replace(/^whatsapp:/, '');
  if (bare.includes('@')) return bare.toLowerCase();
  if (!E164.test(bare))
    throw new UsageError(`--sender must be +E.164 (e.g. +447700900123) or an email, got "${sender}"`);
  return bare;
}

export async function conversationsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const spec = CONVERSATIONS_SPEC;
  const parsed = parseAction(spec, argv, io, ['add', 'list', 'close'] as const);
  if (!parsed) return 0;
  const { values, json, action } = parsed;
  const senderFlag = stringFlag(values, 'sender');
  // A wrong command line is reported before the stack is looked for.
  if (senderFlag !== undefined) primaryChannel(senderFlag);
  const target = await dynamoTarget(values, io.env);
  const { doc } = target;
  const tableName = target.table('conversations', 'table');
  const using = { table: tableName };
  return withDynamoTarget(target, using, async () => {
    if (action === 'list') {
      const items = senderFlag
        ? ((
            await doc.send(
              new QueryCommand({
                TableName: tableName,
                KeyConditionExpression: 'primary_channel = :p',
                ExpressionAttributeValues: { ':p': primaryChannel(senderFlag) },
              }),
            )
          ).Items ?? [])
        : await scanAll(doc, tableName);
      const show = addressCell(booleanFlag(values, 'unmasked'));
      printItems(io, {
        json,
        items,
        empty: 'no conversations',
        row: (item) => ({
          sender: show(item.primary_channel),
          conversation_id: cellText(item.conversation_id),
          channel: cellText(item.channel_type),
          company_channel: show(item.company_channel),
          status: cellText(item.conversation_status),
          handoff: item.hand_off_to_human === true ? 'yes' : 'no',
          updated_at: cellText(item.updated_at),
        }),
      });
      return 0;
    }
    const sender = primaryChannel(requiredFlag(values, 'sender', spec));
    if (action === 'close') return closeConversation(io, target, { table: tableName, sender, values, json });
    const channelFlag = stringFlag(values, 'channel') ?? (sender.includes('@') ? 'email' : 'whatsapp');
    const channel = choice(channelFlag, CHANNEL_TYPES, 'channel', spec);
    const status = choice(
      stringFlag(values, 'status') ?? 'active',
      ['active', 'closed', 'archived'] as const,
      'status',
      spec,
    );
    const rawCompanyChannel = stringFlag(values, 'company-channel') ?? demoCompanyChannel(channel);
    const companyChannel = channel === 'email' ? rawCompanyChannel.toLowerCase() : rawCompanyChannel;
    using.table = target.table('companyChannels', 'registry-table');
    const { Item: registry } = await doc.send(
      new GetCommand({ TableName: using.table, Key: { channel_address: companyChannel } }),
    );
    if (!registry)
      throw new CliError(
        `${companyChannel} is not in the registry: add it first with \`registry add --address ${companyChannel}\``,
      );
    using.table = tableName;
    const now = new Date().toISOString();
    const item = {
      primary_channel: sender,
      conversation_id: stringFlag(values, 'id') ?? `conv-${randomBytes(6).toString('hex')}`,
      conversation_status: status,
      hand_off_to_human: booleanFlag(values, 'handoff'),
      channel_type: channel,
      company_channel: companyChannel,
      company_id: registry.company_id,
      project_id: registry.project_id,
      company_name: registry.company_name,
      credentials_reference: registry.credentials_reference,
      created_at: now,
      updated_at: now,
    };
    await putItem(doc, {
      table: tableName,
      item,
      keyAttribute: 'conversation_id',
      replace: booleanFlag(values, 'replace'),
      exists: `conversation ${item.conversation_id} already exists for this sender`,
    });
    if (json) printJson(io, { added: item });
    else
      io.out(
        `added ${item.conversation_id}: ${sender} ↔ ${companyChannel} (${channel}, ${status}` +
          `${item.hand_off_to_human ? ', handed off' : ''})`,
      );
    return 0;
  });
}
