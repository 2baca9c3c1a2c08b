import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { confirmStageChange } from './confirm-stage.js';
import { isConditionFailure } from './dynamo-tables.js';
import { printJson } from './format.js';
import type { FlagValues } from './parse-flags.js';
import type { DynamoTarget } from './stage-tables.js';

/**
 * `registry remove --address A`: deletes the channel's registry entry, so its webhooks are refused from then on (as
 * an unknown recipient, once the handlers' registry caches expire). Conversations and secrets are left alone.
 */
export async function removeRegistryEntry(
  io: CliIo,
  target: DynamoTarget,
  removal: {
    readonly table: string;
    readonly address: string;
    readonly values: FlagValues;
    readonly json: boolean;
  },
): Promise<number> {
  await confirmStageChange(io, removal.values, `remove ${removal.address} from ${removal.table}`);
  const { Attributes: removed } = await target.doc
    .send(
      new DeleteCommand({
        TableName: removal.table,
        Key: { channel_address: removal.address },
        ConditionExpression: 'attribute_exists(channel_address)',
        ReturnValues: 'ALL_OLD',
      }),
    )
    .catch((error: unknown) => {
      if (isConditionFailure(error))
        throw new CliError(`${removal.address} is not registered in ${removal.table}`);
      throw error;
    });
  if (removal.json) printJson(io, { removed });
  else io.out(`removed ${removal.address} (${String(removed?.company_id ?? '')}) from ${removal.table}`);
  return 0;
}
