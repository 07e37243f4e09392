/**
 * The patrol store and the sweeper's period records against DynamoDB Local: serials without gaps
 * under concurrency, one patrol per id, lists newest first across the area and all-areas indexes
 * with kinds, time bounds and cursors, whole periods oldest first; first-wins decisions, the
 * conditional mark, the reporting start; and concurrent sweeps deciding a week exactly once.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeploymentSettings } from '../../shared/adapters/dynamo-deployment-settings.js';
import { DynamoLedgerStore } from '../../shared/adapters/dynamo-ledger-store.js';
import { DynamoPatrolPeriodStore } from '../../shared/adapters/dynamo-patrol-periods.js';
import { DynamoPatrolStore } from '../../shared/adapters/dynamo-patrol-store.js';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { newPatrolId } from '../../shared/domain/ids.js';
import { AREA_DISTRICT, type AreaId } from '../../shared/domain/model.js';
import {
  DEFAULT_PATROL_REQUIREMENTS,
  type PatrolKind,
  type PatrolRecord,
} from '../../shared/domain/patrol.js';
import { formatPatrolNo, patrolDay } from '../../shared/domain/patrol-input.js';
import { ConditionFailedError } from '../../shared/ports/index.js';
import { notifyWork } from '../../shared/usecases/notify-case.js';
import { sweepPatrolPeriods } from '../../shared/usecases/sweep-patrol-periods.js';
import { startTestTable, type TestTable } from '../support/emulators.js';
import {
  ManualClock,
  MemoryAssignmentQueue,
  MemoryCaseStore,
  MemoryNotificationClaims,
  MemoryNotifier,
} from '../support/memory-ports.js';

let table: TestTable;
let client: DynamoDBDocumentClient;
let store: DynamoPatrolStore;

beforeAll(async () => {
  table = await startTestTable('patrol-test');
  client = table.client;
  store = new DynamoPatrolStore(client, table.tableName);
});

afterAll(async () => {
  await table?.stop();
});

function draft(kind: PatrolKind, area: AreaId, startedAt: string, patrolId = newPatrolId()) {
  return (serial: number): PatrolRecord => ({
    patrolId,
    patrolNo: formatPatrolNo(area, startedAt, serial),
    kind,
    area,
    district: AREA_DISTRICT[area],
    startedAt,
    endedAt: new Date(Date.parse(startedAt) + 3600_000).toISOString(),
    officers: ['王五'],
    places: [{ name: '珍北村', area: 'meili', matched: '珍北村', kind: 'village' }],
    focus: ['basic_farmland'],
    findings: [],
    recordedBy: kind === 'bureau' ? `bureau:${area}` : 'brigade',
    recordedAt: startedAt,
  });
}

async function create(kind: PatrolKind, area: AreaId, startedAt: string, patrolId = newPatrolId()) {
  return store.createPatrol(patrolId, area, patrolDay(startedAt), draft(kind, area, startedAt, patrolId));
}

describe('DynamoPatrolStore on DynamoDB Local', () => {
  it('numbers concurrent patrols of one area and day without gaps, and each patrol once', async () => {
    const started = '2026-11-30T09:00:00+08:00';
    const made = await Promise.all(Array.from({ length: 6 }, () => create('bureau', 'zhitang', started)));
    expect(made.map((patrol) => patrol.patrolNo).sort()).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => `XC-zhitang-20261130-0${n}`),
    );
    const again = made[0]!;
    await expect(create('bureau', 'zhitang', started, again.patrolId)).rejects.toBeInstanceOf(
      ConditionFailedError,
    );
    // The refused duplicate took no number.
    expect((await create('bureau', 'zhitang', started)).patrolNo).toBe('XC-zhitang-20261130-07');
    expect(await store.getPatrol(again.patrolId)).toEqual(again);
    expect(await store.getPatrol(newPatrolId())).toBeUndefined();
  });

  it('lists newest first by area, by a district’s areas and across areas, with kinds and time bounds', async () => {
    const window = { from: '2026-10-01T00:00:00+08:00', to: '2026-11-01T00:00:00+08:00' };
    const a = await create('bureau', 'guli', '2026-10-05T09:00:00+08:00');
    const b = await create('spot_check', 'shajiabang', '2026-10-06T09:00:00+08:00');
    const c = await create('bureau', 'guli', '2026-10-07T09:00:00+08:00');
    const d = await create('bureau', 'haiyu', '2026-10-08T09:00:00+08:00');
    // On the bounds: `from` is in, `to` is out.
    const e = await create('bureau', 'guli', '2026-10-01T00:00:00+08:00');
    await create('bureau', 'guli', '2026-11-01T00:00:00+08:00');
    const ids = (patrols: PatrolRecord[]) => patrols.map((patrol) => patrol.patrolId);

    expect(ids((await store.listPatrols({ ...window, area: 'guli' }, 10)).items)).toEqual(ids([c, a, e]));
    expect(
      ids((await store.listPatrols({ ...window, areas: ['guli', 'shajiabang', 'dongnan'] }, 10)).items),
    ).toEqual(ids([c, b, a, e]));
    expect(ids((await store.listPatrols(window, 10)).items)).toEqual(ids([d, c, b, a, e]));
    expect(
      ids((await store.listPatrols({ ...window, kinds: ['spot_check', 'supervision'] }, 10)).items),
    ).toEqual(ids([b]));
    expect(ids(await store.allPatrols({ ...window, kinds: ['bureau'] }))).toEqual(ids([e, a, c, d]));
  });

  it('pages through every partition with the cursor, each patrol once', async () => {
    const window = { from: '2026-10-01T00:00:00+08:00', to: '2026-11-01T00:00:00+08:00' };
    for (const filter of [
      { ...window },
      { ...window, areas: ['guli', 'shajiabang', 'dongnan'] as AreaId[] },
    ]) {
      const all = (await store.listPatrols(filter, 100)).items.map((patrol) => patrol.patrolId);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listPatrols(filter, 2, cursor);
        expect(page.items.length).toBeLessThanOrEqual(2);
        paged.push(...page.items.map((patrol) => patrol.patrolId));
        cursor = page.cursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(all);
    }
    await expect(store.listPatrols(window, 2, 'garbage')).rejects.toThrow(/cursor/);
  });
});

describe('DynamoPatrolPeriodStore on DynamoDB Local', () => {
  it('keeps the first decision, moves the mark only from where it was, stores the reporting start once', async () => {
    const periods = new DynamoPatrolPeriodStore(client, table.tableName);
    // Periods of their own (2030), and the quarter's mark, which the sweep below never reaches.
    const decision = { period: '2030-W10', unit: 'bureau:guli', rows: [], decidedAt: 'a' };
    const stored = await Promise.all([
      periods.decide({ ...decision, status: 'short' }),
      periods.decide({ ...decision, status: 'met', handedOverAt: 'a' }),
      periods.decide({ ...decision, status: 'short' }),
    ]);
    expect(new Set(stored.map((each) => each.status)).size).toBe(1);
    await periods.markHandedOver('2030-W10', 'bureau:guli', 'b');
    expect((await periods.decide({ ...decision, status: 'short' })).handedOverAt).toBeDefined();

    expect(await periods.decidedThrough('quarter')).toBeUndefined();
    expect(await periods.advanceDecidedThrough('quarter', undefined, '2030-Q1')).toBe(true);
    expect(await periods.advanceDecidedThrough('quarter', undefined, '2030-Q2')).toBe(false);
    expect(await periods.advanceDecidedThrough('quarter', '2030-Q1', '2030-Q2')).toBe(true);
    expect(await periods.decidedThrough('quarter')).toBe('2030-Q2');

    expect(await periods.remindersHandedOver('2030-W10')).toBe(false);
    await periods.markRemindersHandedOver('2030-W10', 'c');
    expect(await periods.remindersHandedOver('2030-W10')).toBe(true);

    // The reporting start is kept once for patrols and reports alike, the first caller's day winning.
    const settings = new DynamoDeploymentSettings(client, table.tableName);
    const starts = await Promise.all(
      ['2026-01-05', '2026-01-06', '2026-01-07'].map((day) => settings.firstStartedOn(day)),
    );
    expect(new Set(starts).size).toBe(1);
    expect(await settings.firstStartedOn('2027-01-01')).toBe(starts[0]);
  });
});

describe('patrol decisions on DynamoDB Local', () => {
  it('decide a week once however many sweeps run at the same time', async () => {
    // Week 2 of 2026 (5-11 January): one bureau met, the others short.
    const periods = new DynamoPatrolPeriodStore(client, table.tableName);
    await create('bureau', 'bixi', '2026-01-06T09:00:00+08:00');
    await create('bureau', 'bixi', '2026-01-07T09:00:00+08:00');
    const queue = new MemoryAssignmentQueue();
    const ledger = new DynamoLedgerStore(client, table.tableName);
    const clock = new ManualClock(new Date('2026-01-14T10:00:00+08:00'));
    const deps = {
      patrols: store,
      periods,
      reportingStart: { reportingStart: async () => '2026-01-05' },
      queue,
      ledger,
      clock,
      calendar: new WorkingCalendar(),
      requirements: DEFAULT_PATROL_REQUIREMENTS,
    };
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => sweepPatrolPeriods(deps)));
    expect(outcomes.flatMap((outcome) => outcome.failed)).toEqual([]);
    // Week 1 began before the reporting start: never decided.
    const entries = (await ledger.list(2026)).entries.filter((entry) => entry.reason === 'patrol_shortfall');
    expect(entries.map((entry) => entry.entryId).sort()).toEqual(
      [
        'guli',
        'shajiabang',
        'dongnan',
        'shanghu',
        'xinzhuang',
        'zhitang',
        'dongbang',
        'meili',
        'yushan',
        'resort',
        'haiyu',
      ]
        .map((area) => `patrol#bureau:${area}#2026-W02`)
        .sort(),
    );
    expect(await periods.decidedThrough('week')).toBe('2026-W02');
    const notifier = new MemoryNotifier();
    const claims = new MemoryNotificationClaims();
    for (const message of queue.messages)
      await notifyWork(message, { store: new MemoryCaseStore(), claims, notifier, clock });
    const shortfalls = notifier.sent.filter((each) => each.kind === 'patrol_shortfall');
    expect(shortfalls).toHaveLength(22);
    expect(new Set(shortfalls.map((each) => `${each.target} ${each.unit}`)).size).toBe(22);
  });
});
