/**
 * Patrols in the one table (keys in table-schema.ts). A patrol is one item, whole; it is found by
 * area through the `byArea` index (`PATROL#<area>`) and across areas through the `byYear` index
 * (`PATROLS`), both sorted by `<startedAt UTC>#<patrolId>`, so every read is a query on a time
 * range, never a scan. Its number is the next serial of its area and Shanghai day, taken in the
 * transaction that writes it (a conditional counter item), so the day's serials have no gaps.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AreaId } from '../domain/model.js';
import type { PatrolRecord } from '../domain/patrol.js';
import { ConditionFailedError } from '../ports/index.js';
import type { PatrolFilter, PatrolPage, PatrolStore } from '../ports/patrols.js';
import { InvalidCursorError } from './dynamo-cursor.js';
import { INDEXES } from './table-schema.js';

const patrolKey = (patrolId: string) => ({ pk: `PATROL#${patrolId}`, sk: 'PATROL' });
const serialKey = (area: AreaId, day: string) => ({ pk: `SEQ#patrol#${area}#${day}`, sk: 'SEQ' });
const AREA_PARTITION = (area: AreaId) => `PATROL#${area}`;
const ALL_PARTITION = 'PATROLS';

/** The index sort key: UTC instant of the start, then the id (unique, and the tie-break). */
export const patrolSortKey = (patrol: Pick<PatrolRecord, 'startedAt' | 'patrolId'>): string =>
  `${new Date(patrol.startedAt).toISOString()}#${patrol.patrolId}`;
const SORT_KEY_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#pat_[a-z2-7]{26}$/;

/** The index attributes of a patrol item: by area and across areas. */
export function patrolIndexAttributes(patrol: PatrolRecord): Record<string, string> {
  const sort = patrolSortKey(patrol);
  return {
    [INDEXES.byArea.partitionKey]: AREA_PARTITION(patrol.area),
    [INDEXES.byArea.sortKey]: sort,
    [INDEXES.byYear.partitionKey]: ALL_PARTITION,
    [INDEXES.byYear.sortKey]: sort,
  };
}

interface Partition {
  index: (typeof INDEXES)['byArea' | 'byYear'];
  key: string;
}

export class DynamoPatrolStore implements PatrolStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPatrol(patrolId: string): Promise<PatrolRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: patrolKey(patrolId), ConsistentRead: true }),
    );
    return result.Item?.data as PatrolRecord | undefined;
  }

  async createPatrol(
    patrolId: string,
    area: AreaId,
    day: string,
    build: (serial: number) => PatrolRecord,
  ): Promise<PatrolRecord> {
    const counter = serialKey(area, day);
    const current = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: counter, ConsistentRead: true }),
    );
    let last = Number(current.Item?.value ?? 0);
    for (let attempt = 0; attempt < 20; attempt++) {
      const record = build(last + 1);
      if (record.patrolId !== patrolId || record.area !== area)
        throw new Error('createPatrol: the built patrol does not match its id and area');
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...patrolKey(patrolId),
                    type: 'patrol',
                    ...patrolIndexAttributes(record),
                    data: record,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: this.tableName,
                  Key: counter,
                  UpdateExpression: 'SET #value = :next, #type = :type',
                  ConditionExpression: last === 0 ? 'attribute_not_exists(#value)' : '#value = :last',
                  ExpressionAttributeNames: { '#value': 'value', '#type': 'type' },
                  ExpressionAttributeValues: {
                    ':next': last + 1,
                    ':type': 'patrol_serial',
                    ...(last === 0 ? {} : { ':last': last }),
                  },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
            ],
          }),
        );
        return record;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [patrolReason, serialReason] = error.CancellationReasons ?? [];
        if (patrolReason?.Code === 'ConditionalCheckFailed')
          throw new ConditionFailedError(`patrol ${patrolId} exists already`);
        if (serialReason?.Code !== 'ConditionalCheckFailed') throw error;
        // Another patrol of the same area and day took the serial: try the next one.
        const taken = Number(
          (serialReason.Item as Record<string, { N?: string }> | undefined)?.value?.N ?? last + 1,
        );
        last = Math.max(taken, last + 1);
      }
    }
    throw new Error(`patrol serials of ${area} on ${day} are contended; retry the request`);
  }

  async listPatrols(filter: PatrolFilter, limit: number, cursor?: string): Promise<PatrolPage> {
    if (cursor !== undefined && !SORT_KEY_PATTERN.test(cursor)) throw new InvalidCursorError();
    // A page walks every partition below the last key handed out and merges them, newest first: the
    // cursor is that key, so partitions need no cursor of their own.
    const perPartition = await Promise.all(
      this.partitions(filter).map((partition) => this.take(partition, filter, limit + 1, cursor)),
    );
    const merged = perPartition.flat().sort((a, b) => (a.sort < b.sort ? 1 : a.sort > b.sort ? -1 : 0));
    const page = merged.slice(0, limit);
    return {
      items: page.map((item) => item.patrol),
      cursor: merged.length > limit ? page[page.length - 1]!.sort : null,
    };
  }

  async allPatrols(filter: PatrolFilter): Promise<PatrolRecord[]> {
    const perPartition = await Promise.all(
      this.partitions(filter).map((partition) => this.take(partition, filter, Number.POSITIVE_INFINITY)),
    );
    return perPartition
      .flat()
      .sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0))
      .map((item) => item.patrol);
  }

  private partitions(filter: PatrolFilter): Partition[] {
    if (filter.area) return [{ index: INDEXES.byArea, key: AREA_PARTITION(filter.area) }];
    if (filter.areas)
      return filter.areas.map((area) => ({ index: INDEXES.byArea, key: AREA_PARTITION(area) }));
    return [{ index: INDEXES.byYear, key: ALL_PARTITION }];
  }

  /**
   * Up to `wanted` patrols of one partition started in `[from, to)` and, with `below`, sorted
   * before that key; newest first. The kinds are a filter on the query, not on a scan.
   */
  private async take(
    partition: Partition,
    filter: PatrolFilter,
    wanted: number,
    below?: string,
  ): Promise<Array<{ sort: string; patrol: PatrolRecord }>> {
    const from = new Date(filter.from).toISOString();
    // `<instant>#pat_…` sorts after `<instant>`: BETWEEN from AND to keeps a start at `to` out.
    const upper = below ?? new Date(filter.to).toISOString();
    if (upper < from) return [];
    const kinds = filter.kinds ?? [];
    const kindValues = Object.fromEntries(kinds.map((kind, i) => [`:kind${i}`, kind]));
    const found: Array<{ sort: string; patrol: PatrolRecord }> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: partition.index.indexName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :upper',
          ExpressionAttributeNames: {
            '#pk': partition.index.partitionKey,
            '#sk': partition.index.sortKey,
            ...(kinds.length > 0 ? { '#data': 'data', '#kind': 'kind' } : {}),
          },
          ExpressionAttributeValues: { ':pk': partition.key, ':from': from, ':upper': upper, ...kindValues },
          ...(kinds.length > 0
            ? { FilterExpression: `#data.#kind IN (${Object.keys(kindValues).join(', ')})` }
            : {}),
          ScanIndexForward: false,
          ...(Number.isFinite(wanted) ? { Limit: Math.max(wanted - found.length, 1) + 1 } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const sort = String(item[partition.index.sortKey]);
        if (sort === below) continue;
        found.push({ sort, patrol: item.data as PatrolRecord });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && found.length < wanted);
    return found.slice(0, Number.isFinite(wanted) ? wanted : undefined);
  }
}
