import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CliError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { confirmStageChange } from './confirm-stage.js';
import { isConditionFailure } from './dynamo-tables.js';
import { printJson } from './format.js';
import { type FlagValues, stringFlag } from './parse-flags.js';
import type { DynamoTarget } from './stage-tables.js';

const INACTIVE = new Set(['closed', 'archived']);

/** Which conversation `close` means: `--id`, else the sender's only open one (on `--company-channel`, if given). */
async function conversationToClose(
  target: DynamoTarget,
  table: string,
  sender: string,
  values: FlagValues,
): Promise<string> {
  const id = stringFlag(values, 'id');
  if (id !== undefined) return id;
  const companyChannel = stringFlag(values, 'company-channel');
  const { Items = [] } = await target.doc.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'primary_channel = :p',
      ExpressionAttributeValues: { ':p': sender },
    }),
  );
  const open = Items.filter(
    (item) =>
      !INACTIVE.has(String(item.conversation_status)) &&
      (companyChannel === undefined ||
        String(item.company_channel).toLowerCase() === companyChannel.toLowerCase()),
  );
  if (open.length === 1) return String(open[0]?.conversation_id);
  if (open.length === 0) throw new CliError(`no open conversation for this sender in ${table}`);
  const ids = open.map((item) => `${String(item.conversation_id)} (${String(item.company_channel)})`);
  throw new UsageError(`several open conversations for this sender; choose one with --id: ${ids.join(', ')}`);
}

/**
 * `conversations close --sender S [--id ID]`: sets `conversation_status` to `closed`; the sender's next message then
 * finds no open conversation and gets the company's fallback reply, as a new sender would. The item stays.
 */
export async function closeConversation(
  io: CliIo,
  target: DynamoTarget,
  close: {
    readonly table: string;
    readonly sender: string;
    readonly values: FlagValues;
    readonly json: boolean;
  },
): Promise<number> {
  const id = await conversationToClose(target, close.table, close.sender, close.values);
  await confirmStageChange(io, close.values, `close conversation ${id}`);
  const { Attributes: closed } = await target.doc
    .send(
      new UpdateCommand({
        TableName: close.table,
        Key: { primary_channel: close.sender, conversation_id: id },
        UpdateExpression: 'SET conversation_status = :closed, updated_at = :now',
        ConditionExpression: 'attribute_exists(conversation_id)',
        ExpressionAttributeValues: { ':closed': 'closed', ':now': new Date().toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    )
    .catch((error: unknown) => {
      if (isConditionFailure(error))
        throw new CliError(`no conversation ${id} for this sender in ${close.table}`);
      throw error;
    });
  if (close.json) printJson(io, { closed });
  else io.out(`closed ${id} (${String(closed?.company_channel ?? '')})`);
  return 0;
}
