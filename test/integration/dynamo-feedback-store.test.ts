/**
 * Feedback deliveries on DynamoDB Local (contract 9): recorded by the case store in the same
 * transaction as the case change that owes them (none without it), once per case event and tip
 * whatever a writer believes is new, numbered per tip; the relay's due index; the brigade's list;
 * the endpoint disabled once.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../shared/adapters/dynamo-case-store.js';
import { DynamoDeliveryStore } from '../../shared/adapters/dynamo-feedback-store.js';
import { DEFAULT_DEADLINE_POLICY } from '../../shared/domain/deadlines.js';
import { feedbackDrafts, relayed } from '../../shared/domain/feedback.js';
import type { CaseEvent, CaseRecord, TipRecord, TipRef } from '../../shared/domain/model.js';
import { ConditionFailedError } from '../../shared/ports/index.js';
import { caseRecord } from '../support/case-record.js';
import { startTestTable, type TestTable } from '../support/emulators.js';

let table: TestTable;
let store: DynamoCaseStore;
let deliveries: DynamoDeliveryStore;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  table = await startTestTable('feedback-test');
  client = table.client;
  store = new DynamoCaseStore(client, table.tableName, DEFAULT_DEADLINE_POLICY);
  deliveries = new DynamoDeliveryStore(client, table.tableName);
});

afterAll(async () => {
  await table?.stop();
});

const pad = (n: number) =>
  String(n)
    .padStart(26, 'a')
    .replace(/[0-9]/g, (d) => 'bcdefghijk'[Number(d)]!);
const tipRef = (n: number, source: TipRef['source'] = '12345'): TipRef => ({
  tipId: `tip_${pad(n)}`,
  source,
  externalId: `GD${n}`,
  receivedAt: '2026-11-28T10:00:00+08:00',
});
const anchor = (tip: TipRef, caseId: string): TipRecord => ({
  ...tip,
  caseId,
  status: 'routed',
  contentHashes: ['h'],
});
const at = (minute: number) => `2026-12-01T02:${String(minute).padStart(2, '0')}:00.000Z`;

function append(record: CaseRecord, event: CaseEvent): CaseRecord {
  return { ...record, events: [...record.events, event], updatedAt: event.at, version: record.version + 1 };
}

async function newCase(n: number, tips: TipRef[] = [tipRef(n)]): Promise<CaseRecord> {
  const record = caseRecord({
    caseId: `case_${pad(n)}`,
    tips,
    events: [{ type: 'created', at: at(0), by: 'system', tipId: tips[0]!.tipId }],
    createdAt: at(0),
    updatedAt: at(0),
  });
  return store.createCase(anchor(tips[0]!, record.caseId), 2026, () => record);
}

const deliveriesOfCase = async (record: CaseRecord) =>
  (
    await Promise.all(
      feedbackDrafts({ ...record, feedbackThrough: 0 }).map((d) => deliveries.getDelivery(d.deliveryId)),
    )
  ).filter((d) => d !== undefined);

describe('feedback recorded with the case', () => {
  it('records tip.routed with the new case, and each later event once, numbered per tip', async () => {
    const created = await newCase(1);
    expect(created.feedbackThrough).toBe(1);
    const acknowledged = append(created, { type: 'acknowledge', at: at(5), by: 'bureau:shajiabang' });
    await store.putCase(acknowledged, created.version);
    // A writer that keeps its case in memory writes again from it: the acknowledge is not sent twice.
    const commented = append(acknowledged, {
      type: 'comment',
      at: at(6),
      by: 'bureau:shajiabang',
      note: 'x',
    });
    await store.putCase(commented, acknowledged.version);
    const closed = append(commented, {
      type: 'close',
      at: at(7),
      by: 'bureau:shajiabang',
      outcome: '已办结',
    });
    await store.putCase(closed, commented.version);

    const recorded = await deliveriesOfCase(closed);
    expect(recorded.map((d) => [d.type, d.sequence, d.status])).toEqual([
      ['tip.routed', 1, 'pending'],
      ['case.acknowledged', 2, 'pending'],
      ['case.closed', 3, 'pending'],
    ]);
    expect((await store.getCase(created.caseId))?.feedbackThrough).toBe(4);
  });

  it('records nothing when the case write loses (the version moved): both or neither', async () => {
    const created = await newCase(2);
    const first = append(created, { type: 'acknowledge', at: at(5), by: 'bureau:shajiabang' });
    await store.putCase(first, created.version);
    const loser = append(created, {
      type: 'inspect',
      at: at(5),
      by: 'bureau:shajiabang',
      finding: 'no_violation',
    });
    await expect(store.putCase(loser, created.version)).rejects.toBeInstanceOf(ConditionFailedError);
    expect((await deliveriesOfCase(loser)).map((d) => d.type)).toEqual(['tip.routed']);
  });

  it('numbers every tip of a case on its own', async () => {
    const created = await newCase(3, [tipRef(3), tipRef(33, 'city-management')]);
    const acknowledged = append(created, { type: 'acknowledge', at: at(5), by: 'bureau:shajiabang' });
    await store.putCase(acknowledged, created.version);
    const recorded = await deliveriesOfCase(acknowledged);
    expect(recorded.map((d) => `${d.type} ${d.source} #${d.sequence}`)).toEqual([
      'tip.routed 12345 #1',
      'case.acknowledged 12345 #2',
      'case.acknowledged city-management #1',
    ]);
  });
});

describe('DynamoDeliveryStore', () => {
  it('lists by source and status, newest first, and hands the relay what is due', async () => {
    const created = await newCase(4, [tipRef(4, '12336')]);
    const [delivery] = await deliveriesOfCase(created);
    const page = await deliveries.listDeliveries({ source: '12336', status: 'pending' }, 10);
    expect(page.items.map((d) => d.deliveryId)).toContain(delivery!.deliveryId);
    expect((await deliveries.listDeliveries({ source: '12336', status: 'failed' }, 10)).items).toEqual([]);
    expect(await deliveries.dueDeliveries(new Date(at(1)), 100)).toContain(delivery!.deliveryId);
    // Relayed: out of the due index until its lease ends.
    expect(await deliveries.putDelivery(relayed(delivery!, at(1)), delivery!.version)).toBe(true);
    expect(await deliveries.putDelivery(relayed(delivery!, at(1)), delivery!.version)).toBe(false);
    expect(await deliveries.dueDeliveries(new Date(at(2)), 100)).not.toContain(delivery!.deliveryId);
    expect(await deliveries.dueDeliveries(new Date(at(7)), 100)).toContain(delivery!.deliveryId);
  });

  it('pages through every source without a source filter', async () => {
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deliveries.listDeliveries({}, 2, cursor);
      all.push(...page.items.map((d) => d.deliveryId));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(8);
  });

  it('disables an endpoint once: a second 410 gets the first disabling back', async () => {
    const first = { source: '12345' as const, disabledAt: at(1), deliveryId: 'msg_a', responseCode: 410 };
    expect(await deliveries.disableEndpoint(first)).toEqual(first);
    expect(await deliveries.disableEndpoint({ ...first, disabledAt: at(2), deliveryId: 'msg_b' })).toEqual(
      first,
    );
    expect(await deliveries.endpointDisabled('12345')).toEqual(first);
    await deliveries.enableEndpoint('12345');
    expect(await deliveries.endpointDisabled('12345')).toBeUndefined();
  });
});
