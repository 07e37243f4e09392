/**
 * What outlives a deployment: the case table and the keys that encrypt data at rest and in
 * flight. Kept apart from the stateless stack so that the latter can be destroyed and recreated
 * freely, and so that nothing here is replaced by an unrelated change.
 *
 * Keys, one per purpose, because each has a different set of users and a different blast radius:
 * - tableKey: the case table (cases, tips, ledger). Used only through the table by the functions.
 * - messagingKey: queues and topics. Also usable by CloudWatch (alarms publish to the operations
 *   topic), which must never be able to touch the table's key.
 * - reporterKey: envelope key of the reporter vault. Intake may only create data keys, the case
 *   API may only decrypt; a leaked table export or queue message alone reveals no identity.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type ITable, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { INDEXES, TABLE_KEYS } from '../../shared/adapters/table-schema.js';
import type { EnvConfig } from '../config.js';
import { ConsoleUserPool } from '../constructs/console.js';

export interface StatefulStackProps extends StackProps {
  readonly config: EnvConfig;
}

export class StatefulStack extends Stack {
  readonly table: ITable;
  readonly tableKey: IKey;
  readonly messagingKey: IKey;
  readonly reporterKey: IKey;
  /** The console's people (retained with their passwords and MFA). */
  readonly consoleUsers: ConsoleUserPool;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const env = props.config.envName;

    const tableKey = new Key(this, 'TableKey', {
      description: `landline ${env}: case table at rest`,
      alias: `alias/landline-${env}-table`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });

    const messagingKey = new Key(this, 'MessagingKey', {
      description: `landline ${env}: SQS queues and SNS topics`,
      alias: `alias/landline-${env}-messaging`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // CloudWatch alarms publish to the (encrypted) operations topic as the service itself.
    messagingKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    const reporterKey = new Key(this, 'ReporterKey', {
      description: `landline ${env}: reporter identities (envelope encryption)`,
      alias: `alias/landline-${env}-reporter`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });

    const table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: tableKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of Object.values(INDEXES)) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }

    this.table = table;
    this.tableKey = tableKey;
    this.messagingKey = messagingKey;
    this.reporterKey = reporterKey;
    this.consoleUsers = new ConsoleUserPool(this, 'ConsoleUsers', { envName: env });
  }
}
