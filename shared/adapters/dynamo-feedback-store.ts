/**
 * Feedback deliveries (contract 9) in the one table, and the outbox half the case store writes with
 * every case change.
 *
 *   pk=DELIVERY#<webhook-id>        sk=DELIVERY   one delivery: `data` the record, `version`, `status`;
 *                                                 gsi1 `DELIVERIES#<source>` / `<createdAt>#<id>` (the
 *                                                 brigade's list); gsi3 `FEEDBACK#DUE` / `<relayAt>#<id>`
 *                                                 while pending (the relay's due index, sparse)
 *   pk=FEEDBACKSEQ#<tipId>          sk=SEQ        the tip's last feedback sequence number (`last`)
 *   pk=FEEDBACK_ENDPOINT#<source>   sk=ENDPOINT   the source's endpoint, disabled after a 410 (`data`)
 *
 * Outbox: the case store asks `prepare(record)` for the items that record the feedback of the case's
 * new events, and writes them in the same transaction as the case (the case's version condition and
 * these land together or not at all). Each delivery's key is derived from the case event and the tip,
 * so whatever a writer believes is new, a delivery is written once: the candidates already stored are
 * left out (one consistent BatchGet, with the tips' counters), and the transaction's conditions catch
 * a concurrent writer (the case store then prepares again).
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  assignSequences,
  type EndpointDisabled,
  type FeedbackDelivery,
  feedbackDrafts,
} from '../domain/feedback.js';
import { type CaseRecord, SOURCES, type Source } from '../domain/model.js';
import type { DeliveryFilter, DeliveryPage, DeliveryStore } from '../ports/feedback.js';
import { isConditionFailure } from './dynamo-conditions.js';
import { decodeCursor, encodeCursor } from './dynamo-cursor.js';
import { INDEXES } from './table-schema.js';

export const deliveryKey = (deliveryId: string) => ({ pk: `DELIVERY#${deliveryId}`, sk: 'DELIVERY' });
const sequenceKey = (tipId: string) => ({ pk: `FEEDBACKSEQ#${tipId}`, sk: 'SEQ' });
const endpointKey = (source: Source) => ({ pk: `FEEDBACK_ENDPOINT#${source}`, sk: 'ENDPOINT' });
const DUE_PARTITION = 'FEEDBACK#DUE';
const listPartition = (source: Source) => `DELIVERIES#${source}`;

/** The delivery item: indexed for the brigade's list always, for the relay while pending. */
export function deliveryItem(delivery: FeedbackDelivery): Record<string, unknown> {
  return {
    ...deliveryKey(delivery.deliveryId),
    type: 'delivery',
    data: delivery,
    version: delivery.version,
    status: delivery.status,
    [INDEXES.byArea.partitionKey]: listPartition(delivery.source),
    [INDEXES.byArea.sortKey]: `${delivery.createdAt}#${delivery.deliveryId}`,
    ...(delivery.status === 'pending' && delivery.relayAt
      ? {
          [INDEXES.byDue.partitionKey]: DUE_PARTITION,
          [INDEXES.byDue.sortKey]: `${new Date(delivery.relayAt).toISOString()}#${delivery.deliveryId}`,
        }
      : {}),
  };
}

/** Feedback items per case write, leaving room in DynamoDB's 100 for the case's own. */
const MAX_FEEDBACK_ITEMS = 90;

/** One item of a TransactWriteItems request (lib-dynamodb shape). */
export type TransactItem = Record<string, Record<string, unknown>>;

export interface PreparedFeedback {
  /** The case to write: `feedbackThrough` moved to the end of its events. */
  record: CaseRecord;
  /** The deliveries and counter updates to write in the case's transaction. */
  items: TransactItem[];
  deliveries: FeedbackDelivery[];
}

/** The outbox half: what a case write must also write to record its feedback. */
export class FeedbackOutbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * `fresh`: the case's tips are new (a new case): nothing can be stored for them yet, so nothing
   * is read; should that be wrong, the transaction's conditions say so and the caller prepares again
   * without it.
   */
  async prepare(record: CaseRecord, options: { fresh?: boolean } = {}): Promise<PreparedFeedback> {
    const from = Math.min(record.feedbackThrough ?? 0, record.events.length);
    const stamped: CaseRecord = { ...record, feedbackThrough: record.events.length };
    const drafts = feedbackDrafts(record, from);
    if (drafts.length === 0) return { record: stamped, items: [], deliveries: [] };

    const tipIds = [...new Set(drafts.map((draft) => draft.tipId))];
    const stored = new Set<string>();
    const last = new Map<string, number>();
    if (!options.fresh) {
      const keys = [...drafts.map((draft) => deliveryKey(draft.deliveryId)), ...tipIds.map(sequenceKey)];
      for (const item of await this.batchGet(keys)) {
        const pk = String(item.pk);
        if (pk.startsWith('DELIVERY#')) stored.add(pk.slice('DELIVERY#'.length));
        else last.set(pk.slice('FEEDBACKSEQ#'.length), Number(item.last ?? 0));
      }
    }
    // A transaction holds at most 100 items: a case with very many tips records the rest of its
    // feedback with its next write (the case keeps `feedbackThrough` at the first event left over).
    const missing = drafts.filter((draft) => !stored.has(draft.deliveryId));
    const taken: typeof missing = [];
    const tips = new Set<string>();
    for (const draft of missing) {
      const cost = 1 + (tips.has(draft.tipId) ? 0 : 1);
      if (taken.length + tips.size + cost > MAX_FEEDBACK_ITEMS) {
        stamped.feedbackThrough = draft.eventIndex;
        break;
      }
      taken.push(draft);
      tips.add(draft.tipId);
    }
    const { deliveries, counters } = assignSequences(taken, last, record.updatedAt);
    const items: TransactItem[] = deliveries.map((delivery) => ({
      Put: {
        TableName: this.tableName,
        Item: deliveryItem(delivery),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
    for (const [tipId, { from: previous, to }] of counters) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: sequenceKey(tipId),
          UpdateExpression: 'SET #last = :to, #type = :type',
          ConditionExpression: previous === 0 ? 'attribute_not_exists(pk)' : '#last = :from',
          ExpressionAttributeNames: { '#last': 'last', '#type': 'type' },
          ExpressionAttributeValues: {
            ':to': to,
            ':type': 'feedback_sequence',
            ...(previous === 0 ? {} : { ':from': previous }),
          },
        },
      });
    }
    return { record: stamped, items, deliveries };
  }

  private async batchGet(keys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + 100);
      // BatchGet may answer part of a batch (throttling): ask again for the rest.
      for (let attempt = 0; pending && pending.length > 0 && attempt < 5; attempt++) {
        const result: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: pending,
                ConsistentRead: true,
                ProjectionExpression: 'pk, #last',
                ExpressionAttributeNames: { '#last': 'last' },
              },
            },
          }),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []));
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
      if (pending && pending.length > 0)
        throw new Error('feedback outbox: keys left unread; retry the write');
    }
    return found;
  }
}

/** The deliveries, the relay's due index and the endpoints' state. */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getDelivery(deliveryId: string): Promise<FeedbackDelivery | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: deliveryKey(deliveryId), ConsistentRead: true }),
    );
    return result.Item?.data as FeedbackDelivery | undefined;
  }

  async putDelivery(updated: FeedbackDelivery, expectedVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: deliveryItem(updated),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async dueDeliveries(now: Date, limit: number): Promise<string[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEXES.byDue.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk < :upTo',
        ExpressionAttributeNames: { '#pk': INDEXES.byDue.partitionKey, '#sk': INDEXES.byDue.sortKey },
        ExpressionAttributeValues: { ':pk': DUE_PARTITION, ':upTo': now.toISOString() },
        ProjectionExpression: 'pk',
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => String(item.pk).slice('DELIVERY#'.length));
  }

  async listDeliveries(filter: DeliveryFilter, limit: number, cursor?: string): Promise<DeliveryPage> {
    const partitions = filter.source ? [filter.source] : [...SOURCES];
    const state = cursor ? decodeCursor(cursor) : { p: 0 };
    let partitionIndex = typeof state.p === 'number' && state.p >= 0 ? state.p : 0;
    let startKey = state.k as Record<string, unknown> | undefined;
    const items: FeedbackDelivery[] = [];
    while (partitionIndex < partitions.length && items.length < limit) {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.byArea.indexName,
          KeyConditionExpression: '#pk = :pk',
          ScanIndexForward: false,
          ExpressionAttributeNames: {
            '#pk': INDEXES.byArea.partitionKey,
            ...(filter.status ? { '#status': 'status' } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': listPartition(partitions[partitionIndex]!),
            ...(filter.status ? { ':status': filter.status } : {}),
          },
          ...(filter.status ? { FilterExpression: '#status = :status' } : {}),
          Limit: limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) items.push(item.data as FeedbackDelivery);
      if (result.LastEvaluatedKey) startKey = result.LastEvaluatedKey;
      else {
        partitionIndex += 1;
        startKey = undefined;
      }
    }
    const more = partitionIndex < partitions.length;
    return {
      items,
      cursor: more ? encodeCursor({ p: partitionIndex, ...(startKey ? { k: startKey } : {}) }) : null,
    };
  }

  async endpointDisabled(source: Source): Promise<EndpointDisabled | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: endpointKey(source), ConsistentRead: true }),
    );
    return result.Item?.data as EndpointDisabled | undefined;
  }

  async disableEndpoint(incident: EndpointDisabled): Promise<EndpointDisabled> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...endpointKey(incident.source), type: 'feedback_endpoint', data: incident },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return incident;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.endpointDisabled(incident.source)) ?? incident;
    }
  }

  async enableEndpoint(source: Source): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: endpointKey(source) }));
  }
}
