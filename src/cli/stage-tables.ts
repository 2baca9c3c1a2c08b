import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deployedTableName, TABLES } from '../resources.js';
import { documentClient } from './aws-clients.js';
import type { CliEnv } from './cli-env.js';
import { CliError, networkError, UsageError } from './cli-error.js';
import type { FlagSpec } from './command-spec.js';
import { isMissingTable } from './dynamo-tables.js';
import { type FlagValues, stringFlag } from './parse-flags.js';
import { serviceEndpoint } from './stack-target.js';

type CliTableKey = 'conversations' | 'companyChannels';

export const stageFlag: FlagSpec = {
  type: 'string',
  placeholder: 'NAME',
  description:
    'a deployed stage (dev|staging|prod): its tables <name>-<stage> in AWS, with the default credential chain ' +
    'and region (AWS_PROFILE, AWS_REGION, SSO…) instead of the local stack',
};

/** Where `registry` and `conversations` read and write: the local emulator, or a deployed stage's tables. */
export interface DynamoTarget {
  readonly doc: DynamoDBDocumentClient;
  /** For messages: the endpoint URL, or `stage prod (AWS)`. */
  readonly where: string;
  /** What to change when it cannot be reached. */
  readonly change: string;
  /** `--<flag>` if given, else the table's local name, or `<name>-<stage>` with `--stage`. */
  table(key: CliTableKey, flag: string): string;
}

// Stage names become table names: letters, digits and hyphens, as CloudFormation stack names allow.
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

/** `--stage NAME` (a deployed stage) or the local stack (`--url`/`--endpoint`/PORT), never both. */
export async function dynamoTarget(values: FlagValues, env: CliEnv | undefined): Promise<DynamoTarget> {
  const stage = stringFlag(values, 'stage');
  if (stage === undefined) {
    const { endpoint, change } = await serviceEndpoint('dynamodb', values, env);
    return {
      doc: documentClient(endpoint),
      where: endpoint,
      change,
      table: (key, flag) => stringFlag(values, flag) ?? TABLES[key].localName,
    };
  }
  if (stringFlag(values, 'endpoint') !== undefined || stringFlag(values, 'url') !== undefined)
    throw new UsageError('--stage excludes --endpoint and --url');
  if (!STAGE_NAME.test(stage)) throw new UsageError(`--stage: "${stage}" is not a stage name`);
  // No endpoint, region or credentials of ours: the SDK's default chain decides, as it does for the AWS CLI.
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    doc,
    where: `stage ${stage} (AWS)`,
    change: '(check the AWS credentials and region: AWS_PROFILE, AWS_REGION)',
    table: (key, flag) => stringFlag(values, flag) ?? deployedTableName(key, stage),
  };
}

/**
 * Runs `use` with the target's client and closes it after; a missing table (the one `using.table` names by then)
 * or an unreachable endpoint becomes a CliError that says what to change.
 */
export async function withDynamoTarget<T>(
  target: DynamoTarget,
  using: { readonly table: string },
  use: () => Promise<T>,
): Promise<T> {
  try {
    return await use();
  } catch (error) {
    if (isMissingTable(error)) throw new CliError(`no table ${using.table} at ${target.where}`);
    throw networkError(error, target.where, target.change);
  } finally {
    target.doc.destroy();
  }
}
