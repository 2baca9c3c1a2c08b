import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../resources.js';
import { CliError } from './cli-error.js';
import type { FlagSpec } from './command-spec.js';

export const TABLE_NAMES = {
  conversations: TABLES.conversations.localName,
  companyChannels: TABLES.companyChannels.localName,
} as const;

export const tableFlag = (fallback: string): FlagSpec => ({
  type: 'string',
  placeholder: 'NAME',
  description: `table name (default ${fallback}; deployed tables are <name>-<stage>)`,
});

/** Every item of a (small, local) table; pages through `LastEvaluatedKey`. */
export async function scanAll(
  doc: DynamoDBDocumentClient,
  table: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === 'ConditionalCheckFailedException';
}

export function isMissingTable(error: unknown): boolean {
  return (error as { name?: string }).name === 'ResourceNotFoundException';
}

/** Writes `item`, refusing to overwrite an existing one (`exists` explains why) unless `replace` is set. */
export async function putItem(
  doc: DynamoDBDocumentClient,
  put: {
    table: string;
    item: Record<string, unknown>;
    keyAttribute: string;
    replace: boolean;
    exists: string;
  },
): Promise<void> {
  await doc
    .send(
      new PutCommand({
        TableName: put.table,
        Item: put.item,
        ...(put.replace ? {} : { ConditionExpression: `attribute_not_exists(${put.keyAttribute})` }),
      }),
    )
    .catch((error: unknown) => {
      if (isConditionFailure(error)) throw new CliError(`${put.exists} (use --replace)`);
      throw error;
    });
}
