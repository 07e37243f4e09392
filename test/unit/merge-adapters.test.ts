import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../shared/adapters/dynamo-case-store.js';
import { DynamoSiteIndex, siteItem } from '../../shared/adapters/dynamo-site-index.js';
import { DEFAULT_DEADLINE_POLICY } from '../../shared/domain/deadlines.js';
import type { SiteEntry } from '../../shared/domain/duplicates.js';
import type { TipRecord } from '../../shared/domain/model.js';
import { ConditionFailedError } from '../../shared/ports/index.js';
import { caseRecord } from '../support/case-record.js';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamo = mockClient(documentClient);
const store = new DynamoCaseStore(documentClient, 'landline', DEFAULT_DEADLINE_POLICY);
const index = new DynamoSiteIndex(documentClient, 'landline');

beforeEach(() => dynamo.reset());

const entry: SiteEntry = {
  area: 'shajiabang',
  key: 'P:gazetteer-2020:320581105201',
  caseId: 'case_a',
  tipId: 'tip_b',
  openedAt: '2026-11-27T09:15:00+08:00',
  features: {
    places: ['gazetteer-2020:320581105201'],
    placeNames: ['唐市社区'],
    parties: [],
    groups: [],
    doors: [],
    activities: ['build'],
    text: '田建厂房',
  },
};
const anchor: TipRecord = {
  tipId: 'tip_b',
  source: '12345',
  externalId: 'GD1',
  caseId: 'case_a',
  status: 'merged',
  receivedAt: '2026-11-27T09:40:00+08:00',
  contentHashes: ['h'],
};
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('the site index', () => {
  it('files an entry under its area and key, sorted by when the case opened', () => {
    expect(siteItem(entry)).toMatchObject({
      pk: 'SITE#shajiabang#P:gazetteer-2020:320581105201',
      sk: '2026-11-27T01:15:00.000Z#case_a#tip_b',
      type: 'site',
      data: entry,
    });
  });

  it('reads one query per key from the opening instant on, never a scan', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ data: entry }] });
    const found = await index.findSites('shajiabang', ['P:x', 'G:1:2', 'P:x'], '2025-11-27T09:15:00+08:00');
    expect(found).toHaveLength(2);
    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries.map((query) => query.ExpressionAttributeValues)).toEqual([
      { ':pk': 'SITE#shajiabang#P:x', ':from': '2025-11-27T01:15:00.000Z' },
      { ':pk': 'SITE#shajiabang#G:1:2', ':from': '2025-11-27T01:15:00.000Z' },
    ]);
    expect(queries.every((query) => query.IndexName === undefined)).toBe(true);
  });
});

describe('attaching a tip', () => {
  it('writes the new anchor, the versioned case and the site entries in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const record = caseRecord({ version: 3 });
    expect(await store.attachTip(anchor, record, 2, [entry])).toBe('attached');
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'TIP#tip_b' },
    });
    expect(items[1]!.Put).toMatchObject({ ConditionExpression: 'version = :expected' });
    expect(items[2]!.Put!.Item).toMatchObject({ pk: 'SITE#shajiabang#P:gazetteer-2020:320581105201' });
  });

  it('tells a known tip from a changed case', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None', 'None'))
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None'));
    expect(await store.attachTip(anchor, caseRecord(), 1, [entry])).toBe('tip_known');
    expect(await store.attachTip(anchor, caseRecord(), 1, [entry])).toBe('case_changed');
  });
});

describe('merging and splitting', () => {
  it('moves the anchors with both cases, then files the tips under the case they joined', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(BatchWriteCommand).resolves({});
    await store.mergeCases({
      from: caseRecord({ caseId: 'case_b', status: 'closed', version: 2 }),
      fromVersion: 1,
      into: caseRecord({ caseId: 'case_a', version: 5 }),
      intoVersion: 4,
      moved: [{ tipId: 'tip_b', reporter: { anonymous: true } }],
      sites: [entry],
    });
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(3);
    expect(items[2]!.Update).toMatchObject({
      Key: { pk: 'TIP#tip_b', sk: 'TIP' },
      ExpressionAttributeValues: { ':into': 'case_a', ':merged': 'merged', ':reporter': { anonymous: true } },
    });
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(1);
  });

  it('says a case changed when either versioned put fails', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));
    await expect(
      store.mergeCases({
        from: caseRecord({ caseId: 'case_b' }),
        fromVersion: 1,
        into: caseRecord({ caseId: 'case_a' }),
        intoVersion: 1,
        moved: [],
        sites: [],
      }),
    ).rejects.toBeInstanceOf(ConditionFailedError);
  });

  it('numbers the split-off case and moves the anchor only if the tip is still in the case', async () => {
    dynamo.on(GetCommand).resolves({ Item: { value: 41 } });
    dynamo.on(TransactWriteCommand).resolves({});
    const created = await store.splitTip({
      tipId: 'tip_b',
      from: caseRecord({ caseId: 'case_a', version: 6 }),
      fromVersion: 5,
      removeSites: [entry],
      sites: [{ ...entry, caseId: 'case_c' }],
      year: 2026,
      build: (sequence) =>
        caseRecord({ caseId: 'case_c', caseNo: `2026-${String(sequence).padStart(6, '0')}` }),
    });
    expect(created.caseNo).toBe('2026-000042');
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Update).toMatchObject({
      Key: { pk: 'TIP#tip_b' },
      ConditionExpression: '#data.caseId = :from',
      ExpressionAttributeValues: { ':case': 'case_c', ':status': 'routed', ':from': 'case_a' },
    });
    expect(items.map((item) => Object.keys(item)[0])).toEqual([
      'Update',
      'Put',
      'Update',
      'Put',
      'Delete',
      'Put',
    ]);
  });

  it('reads anchors in batches', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { landline: [{ data: anchor }] } });
    expect(await store.getTips(['tip_b', 'tip_b'])).toEqual([anchor]);
  });
});
