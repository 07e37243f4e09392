/**
 * Creates the local table and queues, idempotently: a restart finds them (or, for the in-memory
 * SQS, re-creates them) with the same names and settings as the cloud (WIRING: names, redrive).
 */
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { INDEXES, TABLE_KEYS } from '../../shared/adapters/table-schema.js';
import { AREA_IDS, type AreaId } from '../../shared/domain/model.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './emulators.js';

export const LOCAL_TABLE_NAME = 'landline';
export const MAX_RECEIVE_COUNT = 5;
export const DEFAULT_VISIBILITY_TIMEOUT_S = 30;
const DLQ_RETENTION_S = 14 * 24 * 3600;

export interface QueuePair {
  name: string;
  url: string;
  arn: string;
  dlqName: string;
  dlqUrl: string;
}

export interface ProvisionedQueues {
  intake: QueuePair;
  bureaus: Record<AreaId, QueuePair>;
  triage: QueuePair;
  /** The feedback sender's queue (contract 9). */
  feedback: QueuePair;
}

export interface Provisioned {
  tableName: string;
  queues: ProvisionedQueues;
  /** The ASSIGNMENT_QUEUE_URLS map of WIRING.md: `bureau:<area>` and `brigade` → queue URL. */
  assignmentQueueUrls: Record<string, string>;
}

export interface ProvisionOptions {
  dynamoDbEndpoint: string;
  sqsEndpoint: string;
  tableName?: string;
  visibilityTimeoutS?: number;
}

export const queueNames = () => ({
  intake: 'landline-intake',
  bureaus: Object.fromEntries(AREA_IDS.map((area) => [area, `landline-bureau-${area}`])) as Record<
    AreaId,
    string
  >,
  triage: 'landline-triage',
  feedback: 'landline-feedback',
});

const sqsClient = (endpoint: string) =>
  new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

export async function provisionTable(endpoint: string, tableName = LOCAL_TABLE_NAME): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const indexes = Object.values(INDEXES);
    const attributeNames = [
      TABLE_KEYS.partitionKey,
      TABLE_KEYS.sortKey,
      ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ];
    const attributeDefinitions: AttributeDefinition[] = attributeNames.map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    }));
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions,
          KeySchema: [
            { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: indexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }),
      );
    } catch (error) {
      // Two starts racing on one data dir: the other one created it, which is what we wanted.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  } finally {
    client.destroy();
  }
}

async function createQueuePair(
  client: SQSClient,
  name: string,
  visibilityTimeoutS: number,
): Promise<QueuePair> {
  const dlqName = `${name}-dlq`;
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: dlqName,
      Attributes: { MessageRetentionPeriod: String(DLQ_RETENTION_S) },
    }),
  );
  const dlqUrl = dlq.QueueUrl!;
  const dlqArn = (
    await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutS),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
      },
    }),
  );
  const url = queue.QueueUrl!;
  const arn = (
    await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  return { name, url, arn, dlqName, dlqUrl };
}

export async function provisionQueues(
  endpoint: string,
  visibilityTimeoutS = DEFAULT_VISIBILITY_TIMEOUT_S,
): Promise<ProvisionedQueues> {
  const client = sqsClient(endpoint);
  try {
    const names = queueNames();
    const intake = await createQueuePair(client, names.intake, visibilityTimeoutS);
    const bureauEntries = await Promise.all(
      AREA_IDS.map(
        async (area) =>
          [area, await createQueuePair(client, names.bureaus[area], visibilityTimeoutS)] as const,
      ),
    );
    const triage = await createQueuePair(client, names.triage, visibilityTimeoutS);
    const feedback = await createQueuePair(client, names.feedback, visibilityTimeoutS);
    return {
      intake,
      bureaus: Object.fromEntries(bureauEntries) as Record<AreaId, QueuePair>,
      triage,
      feedback,
    };
  } finally {
    client.destroy();
  }
}

export function assignmentQueueUrls(queues: ProvisionedQueues): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const area of AREA_IDS) urls[`bureau:${area}`] = queues.bureaus[area].url;
  urls.brigade = queues.triage.url;
  return urls;
}

/** Every queue (sources and DLQs) by name → URL, for saving and restoring messages. */
export function allQueueUrls(queues: ProvisionedQueues): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const pair of [queues.intake, ...Object.values(queues.bureaus), queues.triage, queues.feedback]) {
    urls[pair.name] = pair.url;
    urls[pair.dlqName] = pair.dlqUrl;
  }
  return urls;
}

export async function provision(options: ProvisionOptions): Promise<Provisioned> {
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;
  const [, queues] = await Promise.all([
    provisionTable(options.dynamoDbEndpoint, tableName),
    provisionQueues(options.sqsEndpoint, options.visibilityTimeoutS),
  ]);
  return { tableName, queues, assignmentQueueUrls: assignmentQueueUrls(queues) };
}
