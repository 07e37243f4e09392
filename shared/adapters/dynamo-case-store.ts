/**
 * CaseStore over one DynamoDB table (keys in table-schema.ts), and its read half for functions that
 * write no case. Cases are stored whole, guarded by a version attribute (optimistic locking); the
 * tip record is the router's idempotency anchor and is written in the same transaction as the case
 * it creates.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_REMINDER_POLICY,
  nextAttentionAt,
  overdueFrom,
  type ReminderPolicy,
} from '../domain/attention.js';
import { jsonBytes, storedCase, summarizeEvent } from '../domain/case-size.js';
import type { SiteEntry } from '../domain/duplicate-sites.js';
import type { AreaId, CaseEvent, CaseRecord, TipRecord } from '../domain/model.js';
import { type CaseListFilter, type CasePage, type CaseStore, ConditionFailedError } from '../ports/index.js';
import type { AttachOutcome, CaseMergeWrite, MergeWrites, TipSplitWrite } from '../ports/merging.js';
import { isConditionFailure } from './dynamo-conditions.js';
import { decodeCursor, encodeCursor } from './dynamo-cursor.js';
import { FeedbackOutbox } from './dynamo-feedback-store.js';
import { siteItem, siteItemKey } from './dynamo-site-index.js';

export { InvalidCursorError } from './dynamo-cursor.js';

import { DUE_SHARDS, INDEXES } from './table-schema.js';

const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
const tipKey = (tipId: string) => ({ pk: `TIP#${tipId}`, sk: 'TIP' });
/** A large event's own item, beside its case: `ref` is its sort key (see case-size.ts). */
const bodyKey = (caseId: string, ref: string) => ({ pk: `CASE#${caseId}`, sk: ref });
const UNAPPLIED_PREFIX = 'UNAPPLIED#';
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The index attributes of a case item, derived from the case and the reminder policy alone, so
 * queries never need a scan. The one place the stored keys (gsi1…gsi3, overdueAt) are computed.
 */
export function caseIndexAttributes(
  record: CaseRecord,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
): Record<string, string> {
  const createdSort = `${record.createdAt}#${record.caseId}`;
  const attributes: Record<string, string> = {
    gsi1pk: `AREA#${record.area ?? 'triage'}`,
    gsi1sk: createdSort,
    gsi2pk: `CASES#${record.createdAt.slice(0, 4)}`,
    gsi2sk: createdSort,
  };
  const nextDue = nextAttentionAt(record, policy);
  if (nextDue) {
    // Sparse: only open cases with an unmet, unbreached deadline appear in the due index.
    attributes.gsi3pk = `DUE#${shardOf(record.caseId)}`;
    attributes.gsi3sk = `${nextDue}#${record.caseId}`;
  }
  // The due-index key moves to reminders and leaves a breach once it is escalated; "overdue" must
  // do neither, so it has its own attribute (projected into every index: a filter, not a scan).
  const overdueAt = overdueFrom(record);
  if (overdueAt) attributes.overdueAt = overdueAt;
  return attributes;
}

/** Which write shard of the due index a case lives in. */
export function shardOf(caseId: string): number {
  let hash = 0;
  for (let i = 0; i < caseId.length; i++) hash = (hash * 31 + caseId.charCodeAt(i)) >>> 0;
  return hash % DUE_SHARDS;
}

/** The case item: large events summarized (their bodies are written beside it, see putBodies). */
function toItem(record: CaseRecord, policy: ReminderPolicy): Record<string, unknown> {
  return {
    ...caseKey(record.caseId),
    type: 'case',
    ...caseIndexAttributes(record, policy),
    data: storedCase(record).record,
    version: record.version,
  };
}

/** A versioned write that lost to another writer becomes ConditionFailedError (the use case re-reads). */
function concurrentChange(error: unknown, caseId: string): unknown {
  return isConditionFailure(error) ? new ConditionFailedError(`case ${caseId} changed concurrently`) : error;
}

/** The case reads of every function; the notifier, which writes no case, needs no more. */
export class DynamoCaseReader
  implements Pick<CaseStore, 'getTip' | 'getCase' | 'listCases' | 'findCasesNeedingAttention'>
{
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async getTip(tipId: string): Promise<TipRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: tipKey(tipId), ConsistentRead: true }),
    );
    return result.Item?.data as TipRecord | undefined;
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: caseKey(caseId), ConsistentRead: true }),
    );
    return result.Item?.data as CaseRecord | undefined;
  }

  async getEventBodies(caseId: string, refs: readonly string[]): Promise<Map<string, CaseEvent>> {
    const bodies = new Map<string, CaseEvent>();
    for (let start = 0; start < refs.length; start += 100) {
      let keys: Record<string, unknown>[] | undefined = refs
        .slice(start, start + 100)
        .map((ref) => bodyKey(caseId, ref));
      // BatchGet may answer part of a batch (throttling, the 16 MB cap): ask again for the rest.
      for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt++) {
        const result: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          bodies.set(String(item.sk), item.data as CaseEvent);
        }
        keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return bodies;
  }

  async listUnappliedAmendments(caseId: string, limit: number): Promise<CaseEvent[]> {
    const summaries: CaseEvent[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': caseKey(caseId).pk, ':prefix': UNAPPLIED_PREFIX },
        // The summary alone: the bodies may be large, and are read only when inlined.
        ProjectionExpression: 'summary',
        ConsistentRead: true,
        Limit: limit,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) summaries.push(item.summary as CaseEvent);
      if (summaries.length >= limit) break;
    }
    return summaries.slice(0, limit);
  }

  async listCases(filter: CaseListFilter, limit: number, cursor?: string): Promise<CasePage> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const conditions: string[] = [];
    if (filter.status) {
      names['#data'] = 'data';
      names['#status'] = 'status';
      values[':status'] = filter.status;
      conditions.push('#data.#status = :status');
    }
    if (filter.overdue) {
      // Overdue: an open case with an unmet deadline past its due instant, breached or not
      // (`overdueAt`, see caseIndexAttributes). Items written before `overdueAt` existed fall back
      // to the due-index key. Normalized to UTC ISO so the string comparison is a time comparison.
      values[':now'] = new Date(filter.now ?? Date.now()).toISOString();
      conditions.push(
        '(overdueAt < :now OR (attribute_not_exists(overdueAt) AND attribute_exists(gsi3sk) AND gsi3sk < :now))',
      );
    }
    if (filter.partner) {
      names['#data'] = 'data';
      names['#partners'] = 'partners';
      values[':partner'] = filter.partner;
      conditions.push('contains(#data.#partners, :partner)');
    }

    const base: Omit<QueryCommandInput, 'KeyConditionExpression'> = {
      TableName: this.tableName,
      ScanIndexForward: false,
      ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
    };
    const partitions = filter.area
      ? [{ index: INDEXES.byArea, key: `AREA#${filter.area}` }]
      : filter.areas
        ? filter.areas.map((area) => ({ index: INDEXES.byArea, key: `AREA#${area}` }))
        : yearsDescending(filter.now).map((year) => ({ index: INDEXES.byYear, key: `CASES#${year}` }));

    // A page walks partitions in order; the cursor remembers which partition and where in it.
    let state = cursor ? decodeCursor(cursor) : { p: 0 };
    const items: CaseRecord[] = [];
    let partitionIndex = typeof state.p === 'number' ? state.p : 0;
    let startKey = state.k as Record<string, unknown> | undefined;
    while (partitionIndex < partitions.length && items.length < limit) {
      const partition = partitions[partitionIndex]!;
      const result = await this.client.send(
        new QueryCommand({
          ...base,
          IndexName: partition.index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { ...names, '#pk': partition.index.partitionKey },
          ExpressionAttributeValues: { ...values, ':pk': partition.key },
          Limit: limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) items.push(item.data as CaseRecord);
      if (result.LastEvaluatedKey) {
        startKey = result.LastEvaluatedKey;
      } else {
        partitionIndex += 1;
        startKey = undefined;
      }
    }
    state = { p: partitionIndex, ...(startKey ? { k: startKey } : {}) };
    const more = partitionIndex < partitions.length;
    return { items, cursor: more ? encodeCursor(state) : null };
  }

  /**
   * Cases of one area opened in `[from, to)`, oldest first: the area index bounded by its sort key
   * (`<createdAt>#<caseId>`, createdAt in UTC ISO), never a scan. The monthly reports read with it.
   */
  async casesOfAreaCreatedBetween(area: AreaId, from: string, to: string): Promise<CaseRecord[]> {
    const cases: CaseRecord[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: INDEXES.byArea.indexName,
        // A key starting with `to` itself sorts after `to` (it goes on with `#<caseId>`): excluded.
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: {
          '#pk': INDEXES.byArea.partitionKey,
          '#sk': INDEXES.byArea.sortKey,
          '#data': 'data',
        },
        ExpressionAttributeValues: {
          ':pk': `AREA#${area}`,
          ':from': new Date(from).toISOString(),
          ':to': new Date(to).toISOString(),
        },
        ProjectionExpression: '#data',
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) cases.push(item.data as CaseRecord);
    return cases;
  }

  async findCasesNeedingAttention(now: Date, limit: number): Promise<string[]> {
    const upTo = now.toISOString();
    // One query per write shard; each returns only entries whose attention instant has passed.
    const perShard = await Promise.all(
      Array.from({ length: DUE_SHARDS }, async (_, shard) => {
        const ids: string[] = [];
        const pages = paginateQuery(
          { client: this.client },
          {
            TableName: this.tableName,
            IndexName: INDEXES.byDue.indexName,
            KeyConditionExpression: '#pk = :pk AND #sk < :upTo',
            ExpressionAttributeNames: { '#pk': INDEXES.byDue.partitionKey, '#sk': INDEXES.byDue.sortKey },
            ExpressionAttributeValues: { ':pk': `DUE#${shard}`, ':upTo': upTo },
            ProjectionExpression: 'pk',
            Limit: limit,
          },
        );
        for await (const page of pages) {
          for (const item of page.Items ?? []) ids.push(String(item.pk).slice('CASE#'.length));
          if (ids.length >= limit) break;
        }
        return ids;
      }),
    );
    return perShard.flat().slice(0, limit);
  }
}

/** A transaction cancelled only by the feedback items' conditions (after `first` items of the case's own). */
function feedbackRaceOnly(error: unknown, first: number): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const reasons = error.CancellationReasons ?? [];
  const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
  return (
    reasons.some((_, index) => index >= first && failed(index)) &&
    !reasons.some((_, i) => i < first && failed(i))
  );
}

/** How often a case write prepares its feedback again after losing to a concurrent writer of it. */
const FEEDBACK_ATTEMPTS = 3;

/**
 * Every case write indexes the case for the sweeper with the writer's reminder policy: the deadline
 * policy its composition root gives the case rules and the sweeper as well. Every case write also
 * records the feedback its new events owe the sources (contract 9), in the same transaction
 * (dynamo-feedback-store.ts).
 */
export class DynamoCaseStore extends DynamoCaseReader implements CaseStore, MergeWrites {
  private readonly feedback: FeedbackOutbox;

  constructor(
    client: DynamoDBDocumentClient,
    tableName: string,
    private readonly policy: ReminderPolicy,
  ) {
    super(client, tableName);
    this.feedback = new FeedbackOutbox(client, tableName);
  }

  /** The last case number known to be taken, per year: this container's view of the sequence. */
  private readonly lastSequence = new Map<number, number>();
  /** Case writes of this container, one at a time per year, so that numbers go out in order. */
  private readonly sequenceLocks = new Map<number, Promise<unknown>>();

  createCase(
    tip: TipRecord,
    year: number,
    build: (sequence: number) => CaseRecord,
    options: { sites?: readonly SiteEntry[] } = {},
  ): Promise<CaseRecord> {
    return this.createNumbered(
      year,
      build,
      {
        Put: {
          TableName: this.tableName,
          Item: { ...tipKey(tip.tipId), type: 'tip', data: tip },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      (options.sites ?? []).map((entry) => ({ Put: { TableName: this.tableName, Item: siteItem(entry) } })),
      `tip ${tip.tipId} already has a case`,
    );
  }

  /**
   * A new numbered case written with its tip's anchor (a Put of a new anchor, or an Update of the
   * anchor of a tip split off another case) and any further items, one at a time per year in this
   * container so that numbers go out in order.
   */
  private createNumbered(
    year: number,
    build: (sequence: number) => CaseRecord,
    anchor: TransactItem,
    extra: TransactItem[],
    anchorTaken: string,
  ): Promise<CaseRecord> {
    const previous = this.sequenceLocks.get(year) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => this.createNumberedCase(year, build, anchor, extra, anchorTaken));
    this.sequenceLocks.set(year, next);
    return next;
  }

  /**
   * One transaction writes the tip anchor, the case and the sequence item, the last on condition
   * that it still holds the number before ours: no read per case, and no number lost when a write
   * fails. Another container having taken numbers shows as that condition failing, with the
   * sequence's current value in the answer; the write is retried with the next number.
   */
  private async createNumberedCase(
    year: number,
    build: (sequence: number) => CaseRecord,
    anchor: TransactItem,
    extra: TransactItem[],
    anchorTaken: string,
  ): Promise<CaseRecord> {
    const sequenceKey = { pk: `SEQ#case#${year}`, sk: 'SEQ' };
    if (!this.lastSequence.has(year)) {
      const current = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: sequenceKey, ConsistentRead: true }),
      );
      this.lastSequence.set(year, Number(current.Item?.value ?? 0));
    }
    // A new case's tip is new: its feedback needs no read, unless the write says otherwise.
    let fresh = true;
    for (let attempt = 0; attempt < 20; attempt++) {
      const last = this.lastSequence.get(year) ?? 0;
      const feedback = await this.feedback.prepare(build(last + 1), { fresh });
      const record = feedback.record;
      try {
        await this.writeNewCase(record, anchor, extra, sequenceKey, last, feedback.items);
        this.lastSequence.set(year, last + 1);
        return record;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [tipReason, caseReason, sequenceReason, ...rest] = error.CancellationReasons ?? [];
        // The items after the first three: the extra items, then the feedback's (writeNewCase).
        const extraReasons = rest.slice(0, extra.length);
        const feedbackReasons = rest.slice(extra.length);
        if (tipReason?.Code === 'ConditionalCheckFailed' || caseReason?.Code === 'ConditionalCheckFailed') {
          throw new ConditionFailedError(anchorTaken);
        }
        if (extraReasons.some((reason) => reason?.Code === 'ConditionalCheckFailed'))
          throw new ConditionFailedError('a case written with the new one changed concurrently');
        if (feedbackReasons.some((reason) => reason?.Code === 'ConditionalCheckFailed')) {
          fresh = false;
          if (sequenceReason?.Code !== 'ConditionalCheckFailed') continue;
        }
        if (sequenceReason?.Code !== 'ConditionalCheckFailed') throw error;
        const taken = Number(
          (sequenceReason.Item as Record<string, { N?: string }> | undefined)?.value?.N ?? last,
        );
        this.lastSequence.set(year, Math.max(taken, last));
      }
    }
    throw new Error(`case numbers of ${year} are contended; retrying the message`);
  }

  private async writeNewCase(
    record: CaseRecord,
    anchor: TransactItem,
    extra: TransactItem[],
    sequenceKey: { pk: string; sk: string },
    last: number,
    feedbackItems: TransactItem[],
  ): Promise<void> {
    // A new case's events are small (no request); should one ever be large, its body goes first.
    await this.putBodies(record);
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          anchor,
          {
            Put: {
              TableName: this.tableName,
              Item: toItem(record, this.policy),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: sequenceKey,
              UpdateExpression: 'SET #value = :next',
              ConditionExpression: last === 0 ? 'attribute_not_exists(#value)' : '#value = :last',
              ExpressionAttributeNames: { '#value': 'value' },
              ExpressionAttributeValues: { ':next': last + 1, ...(last === 0 ? {} : { ':last': last }) },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          ...extra,
          // The tip's first feedback (tip.routed or tip.triaged), recorded with its case.
          ...feedbackItems,
        ],
      }),
    );
  }

  async recordAmendment(
    tipId: string,
    contentHash: string,
    updated: CaseRecord,
    expectedVersion: number,
  ): Promise<void> {
    await this.putBodies(updated);
    for (let attempt = 1; ; attempt++) {
      const feedback = await this.feedback.prepare(updated);
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: this.tipContentHashAppend(tipId, contentHash) },
              { Put: this.versionedPut(feedback.record, expectedVersion) },
              ...feedback.items,
            ],
          }),
        );
        return;
      } catch (error) {
        if (attempt < FEEDBACK_ATTEMPTS && feedbackRaceOnly(error, 2)) continue;
        throw concurrentChange(error, updated.caseId);
      }
    }
  }

  /** Records a content hash on the tip's anchor (the tip must exist), once only if asked. */
  private tipContentHashAppend(tipId: string, contentHash: string, { once = false } = {}) {
    return {
      TableName: this.tableName,
      Key: tipKey(tipId),
      UpdateExpression: 'SET #data.#hashes = list_append(#data.#hashes, :hash)',
      ConditionExpression: once
        ? 'attribute_exists(pk) AND NOT contains(#data.#hashes, :hashValue)'
        : 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#data': 'data', '#hashes': 'contentHashes' },
      ExpressionAttributeValues: once
        ? { ':hash': [contentHash], ':hashValue': contentHash }
        : { ':hash': [contentHash] },
    };
  }

  async recordUnappliedAmendment(
    tipId: string,
    contentHash: string,
    caseId: string,
    event: CaseEvent,
  ): Promise<void> {
    // Sorted by time, so the case's read lists them oldest first; the hash keeps two deliveries
    // of the same amendment from making two records (the second fails its condition and is retried
    // as the duplicate it is).
    const ref = `${UNAPPLIED_PREFIX}${event.at}#${contentHash}`;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            // Once per content: a second delivery of the same amendment fails here.
            { Update: this.tipContentHashAppend(tipId, contentHash, { once: true }) },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...bodyKey(caseId, ref),
                  type: 'unapplied_amendment',
                  data: event,
                  summary: summarizeEvent(event, { ref, bytes: jsonBytes(event) }),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConditionFailedError(`amendment ${contentHash} of tip ${tipId} was recorded already`);
      }
      throw error;
    }
  }

  /**
   * Two small updates beside the case's data, never a rewrite of it: the case may be failing
   * precisely because it cannot be written. Neither touches `version`, so no writer is refused;
   * the next versioned put replaces the item, which indexes the case afresh and drops the count.
   */
  async deferAttention(caseId: string, retryAt: (failures: number) => Date): Promise<number> {
    const stillIndexed = 'attribute_exists(#duePk)';
    try {
      const counted = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: caseKey(caseId),
          UpdateExpression: 'ADD sweepFailures :one',
          ConditionExpression: stillIndexed,
          ExpressionAttributeNames: { '#duePk': INDEXES.byDue.partitionKey },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const failures = Number(counted.Attributes?.sweepFailures ?? 1);
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: caseKey(caseId),
          UpdateExpression: 'SET #dueSk = :key',
          ConditionExpression: stillIndexed,
          ExpressionAttributeNames: { '#duePk': INDEXES.byDue.partitionKey, '#dueSk': INDEXES.byDue.sortKey },
          ExpressionAttributeValues: { ':key': `${retryAt(failures).toISOString()}#${caseId}` },
        }),
      );
      return failures;
    } catch (error) {
      // Written meanwhile without a pending deadline: nothing left to retry.
      if (isConditionFailure(error)) return 0;
      throw error;
    }
  }

  async putCase(updated: CaseRecord, expectedVersion: number): Promise<void> {
    await this.putBodies(updated);
    for (let attempt = 1; ; attempt++) {
      const feedback = await this.feedback.prepare(updated);
      try {
        // Most writes owe no feedback (a breach, a reminder, a comment): one conditional put, as ever.
        if (feedback.items.length === 0) {
          await this.client.send(new PutCommand(this.versionedPut(feedback.record, expectedVersion)));
        } else {
          await this.client.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: this.versionedPut(feedback.record, expectedVersion) },
                ...feedback.items,
              ],
            }),
          );
        }
        return;
      } catch (error) {
        if (attempt < FEEDBACK_ATTEMPTS && feedbackRaceOnly(error, 1)) continue;
        throw concurrentChange(error, updated.caseId);
      }
    }
  }

  /**
   * The large events of a case not yet stored beside it, each as its own item, before the case
   * that references them: a reader never meets a reference without its body. Each key carries its
   * event's content hash (case-size.ts), so a writer that then loses the versioned put leaves an
   * unreferenced item at worst, never a body under another event's reference.
   */
  private async putBodies(record: CaseRecord): Promise<void> {
    const { bodies } = storedCase(record);
    await Promise.all(
      bodies.map(({ ref, event }) =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...bodyKey(record.caseId, ref), type: 'event_body', data: event },
          }),
        ),
      ),
    );
  }

  /** The case written only over the version it was read at (optimistic locking). */
  private versionedPut(updated: CaseRecord, expectedVersion: number) {
    return {
      TableName: this.tableName,
      Item: toItem(updated, this.policy),
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': expectedVersion },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Merging tips into cases (并单, contract section 10; the port is shared/ports/merging.ts)

  async attachTip(
    anchor: TipRecord,
    updated: CaseRecord,
    expectedVersion: number,
    sites: readonly SiteEntry[],
  ): Promise<AttachOutcome> {
    await this.putBodies(updated);
    for (let attempt = 1; ; attempt++) {
      // The joining tip hears `tip.merged` (contract 9), recorded with the case that took it.
      const feedback = await this.feedback.prepare(updated);
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...tipKey(anchor.tipId), type: 'tip', data: anchor },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              { Put: this.versionedPut(feedback.record, expectedVersion) },
              ...sites.map((entry) => ({ Put: { TableName: this.tableName, Item: siteItem(entry) } })),
              ...feedback.items,
            ],
          }),
        );
        return 'attached';
      } catch (error) {
        if (attempt < FEEDBACK_ATTEMPTS && feedbackRaceOnly(error, 2 + sites.length)) continue;
        if (error instanceof TransactionCanceledException) {
          const [tipReason, caseReason] = error.CancellationReasons ?? [];
          if (tipReason?.Code === 'ConditionalCheckFailed') return 'tip_known';
          if (caseReason?.Code === 'ConditionalCheckFailed') return 'case_changed';
        }
        throw error;
      }
    }
  }

  async getTips(tipIds: readonly string[]): Promise<TipRecord[]> {
    const found: TipRecord[] = [];
    const unique = [...new Set(tipIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(start, start + 100).map(tipKey);
      for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt++) {
        const result: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.push(item.data as TipRecord);
        keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
      if (keys && keys.length > 0) throw new Error('tip anchors could not be read; retry');
    }
    return found;
  }

  async mergeCases(write: CaseMergeWrite): Promise<void> {
    await Promise.all([this.putBodies(write.from), this.putBodies(write.into)]);
    for (let attempt = 1; ; attempt++) {
      // The moved tips hear `tip.merged` (the case that takes them gains a tip_merged event each).
      const fromFeedback = await this.feedback.prepare(write.from);
      const intoFeedback = await this.feedback.prepare(write.into);
      const fixed = 2 + write.moved.length;
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: this.versionedPut(fromFeedback.record, write.fromVersion) },
              { Put: this.versionedPut(intoFeedback.record, write.intoVersion) },
              ...write.moved.map((tip) => ({
                Update: {
                  TableName: this.tableName,
                  Key: tipKey(tip.tipId),
                  UpdateExpression: `SET #data.caseId = :into, #data.#status = :merged${tip.reporter ? ', #data.reporter = :reporter' : ''}`,
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeNames: { '#data': 'data', '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':into': write.into.caseId,
                    ':merged': 'merged',
                    ...(tip.reporter ? { ':reporter': tip.reporter } : {}),
                  },
                },
              })),
              ...fromFeedback.items,
              ...intoFeedback.items,
            ],
          }),
        );
        break;
      } catch (error) {
        if (attempt < FEEDBACK_ATTEMPTS && feedbackRaceOnly(error, fixed)) continue;
        if (isConditionFailure(error))
          throw new ConditionFailedError(
            `case ${write.from.caseId} or ${write.into.caseId} changed concurrently`,
          );
        throw error;
      }
    }
    // The index follows the merge: a lost write here costs a missed match, never a tip.
    await this.putSites(write.sites);
  }

  async splitTip(write: TipSplitWrite): Promise<CaseRecord> {
    let caseId: string | undefined;
    let status: string | undefined;
    const build = (sequence: number) => {
      const record = write.build(sequence);
      caseId = record.caseId;
      status = record.area ? 'routed' : 'triage';
      return record;
    };
    // The new case's id and status do not depend on its number: learn them from a first build.
    build(0);
    // Bodies before the case items that reference them, as always.
    await this.putBodies(write.from);
    return this.createNumbered(
      write.year,
      build,
      {
        Update: {
          TableName: this.tableName,
          Key: tipKey(write.tipId),
          UpdateExpression: 'SET #data.caseId = :case, #data.#status = :status, #data.splitFrom = :from',
          ConditionExpression: '#data.caseId = :from',
          ExpressionAttributeNames: { '#data': 'data', '#status': 'status' },
          ExpressionAttributeValues: { ':case': caseId, ':status': status, ':from': write.from.caseId },
        },
      },
      [
        { Put: this.versionedPut(write.from, write.fromVersion) },
        ...write.removeSites.map((entry) => ({
          Delete: { TableName: this.tableName, Key: siteItemKey(entry) },
        })),
        ...write.sites.map((entry) => ({ Put: { TableName: this.tableName, Item: siteItem(entry) } })),
      ],
      `tip ${write.tipId} is no longer in case ${write.from.caseId}`,
    );
  }

  /** Index entries written outside a transaction (idempotent puts), in batches of 25. */
  private async putSites(entries: readonly SiteEntry[]): Promise<void> {
    for (let start = 0; start < entries.length; start += 25) {
      let requests: Record<string, unknown>[] | undefined = entries
        .slice(start, start + 25)
        .map((entry) => ({ PutRequest: { Item: siteItem(entry) } }));
      for (let attempt = 0; requests && requests.length > 0 && attempt < 5; attempt++) {
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests as never } }),
        );
        requests = result.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
      }
    }
  }
}

/** Years to walk for an unfiltered list, newest first: this year back to the system's first. */
function yearsDescending(nowIso?: string): number[] {
  const current = new Date(nowIso ?? Date.now()).getUTCFullYear() + 1;
  const years: number[] = [];
  for (let year = current; year >= FIRST_YEAR; year--) years.push(year);
  return years;
}

const FIRST_YEAR = 2026;
