import { type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  deployedTableName,
  type KeyAttribute,
  TABLES,
  type TableDefinition,
  type TableKey,
} from '../src/resources.js';
import { perKey } from './per-key.js';

export interface DataTablesProps {
  readonly stage: string;
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}
// Defined with the tables so the CLI's `--stage` finds the same names.

function attribute(key: KeyAttribute): { name: string; type: AttributeType } {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}

/** One `AWS::DynamoDB::Table` per entry of `TABLES`, keys, indexes and TTL taken from `src/resources.ts`. */
export class DataTables extends Construct {
  readonly tables: Record<TableKey, Table>;

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    this.tables = perKey(TABLES, (key) => this.createTable(key, TABLES[key], props));
  }

  private createTable(key: TableKey, definition: TableDefinition, props: DataTablesProps): Table {
    const table = new Table(this, definition.localName, {
      tableName: deployedTableName(key, props.stage),
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
      // Webhook traffic is spiky and small (≤ 50,000 requests a month): on-demand costs nothing when idle.
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      ...(definition.ttlAttribute ? { timeToLiveAttribute: definition.ttlAttribute } : {}),
      ...(definition.holdsBusinessData
        ? { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } }
        : {}),
      removalPolicy: props.removalPolicy,
      deletionProtection: props.deletionProtection,
    });
    for (const index of definition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        projectionType: ProjectionType[index.projection],
      });
    }
    if (!definition.holdsBusinessData) {
      Validations.of(table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason:
          'Short-lived dedup records (TTL-expired within a day): restoring them to an earlier point would only ' +
          're-send a fallback or re-accept a replayed token, so point-in-time recovery buys nothing.',
      });
    }
    return table;
  }
}
