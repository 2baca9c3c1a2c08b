import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deployedTableName, TABLES } from '../resources.js';
import { DEFAULT_DYNAMODB_ENDPOINT, documentClient } from './aws-clients.js';
import { UsageError } from './cli-error.js';
import type { FlagSpec } from './command-spec.js';
import { type FlagValues, stringFlag } from './parse-flags.js';

export type CliTableKey = 'conversations' | 'companyChannels';

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
  /** `--<flag>` if given, else the table's local name, or `<name>-<stage>` with `--stage`. */
  table(key: CliTableKey, flag: string): string;
}

// Stage names become table names: letters, digits and hyphens, as CloudFormation stack names allow.
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

/** `--stage NAME` (a deployed stage) or `--endpoint URL` (default: the local stack), never both. */
export function dynamoTarget(values: FlagValues): DynamoTarget {
  const stage = stringFlag(values, 'stage');
  const endpoint = stringFlag(values, 'endpoint');
  if (stage === undefined) {
    const url = endpoint ?? DEFAULT_DYNAMODB_ENDPOINT;
    return {
      doc: documentClient(url),
      where: url,
      table: (key, flag) => stringFlag(values, flag) ?? TABLES[key].localName,
    };
  }
  if (endpoint !== undefined) throw new UsageError('--stage and --endpoint exclude each other');
  if (!STAGE_NAME.test(stage)) throw new UsageError(`--stage: "${stage}" is not a stage name`);
  // No endpoint, region or credentials of ours: the SDK's default chain decides, as it does for the AWS CLI.
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    doc,
    where: `stage ${stage} (AWS)`,
    table: (key, flag) => stringFlag(values, flag) ?? deployedTableName(key, stage),
  };
}
