/** DynamoCaseStore against DynamoDB Local: conditions, transactions, indexes and paging for real. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../shared/adapters/dynamo-case-store.js';
import { DynamoNotificationClaims } from '../../shared/adapters/dynamo-notification-claims.js';
import { DEFAULT_DEADLINE_POLICY } from '../../shared/domain/deadlines.js';
import type { TipRecord } from '../../shared/domain/model.js';
import { ConditionFailedError } from '../../shared/ports/index.js';
import { caseRecord } from '../support/case-record.js';
import { startTestTable, type TestTable } from '../support/emulators.js';

let table: TestTable;
let store: DynamoCaseStore;
let claims: DynamoNotificationClaims;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  table = await startTestTable('cases-test');
  client = table.client;
  store = new DynamoCaseStore(client, table.tableName, DEFAULT_DEADLINE_POLICY);
  claims = new DynamoNotificationClaims(client, table.tableName);
});

afterAll(async () => {
  await table?.stop();
});

const anchor = (tipId: string, caseId: string): TipRecord => ({
  tipId,
  source: '12336',
  externalId: tipId,
  caseId,
  status: 'routed',
  receivedAt: '2026-11-28T09:15:00+08:00',
  contentHashes: ['h1'],
});

const id = (prefix: string, n: number) => `${prefix}_${String(n).padStart(26, 'a')}`;

describe('DynamoCaseStore on DynamoDB Local', () => {
  it('creates a case once: the second writer of the same tip gets ConditionFailedError', async () => {
    const record = caseRecord({ caseId: id('case', 1) });
    const results = await Promise.allSettled([
      store.createCase(anchor('tip_race', record.caseId), 2026, () => record),
      store.createCase(anchor('tip_race', record.caseId), 2026, () => record),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(ConditionFailedError);
    // Stored with how many of its events had their feedback recorded (contract 9).
    expect(await store.getCase(record.caseId)).toEqual({ ...record, feedbackThrough: record.events.length });
    expect((await store.getTip('tip_race'))?.caseId).toBe(record.caseId);
  });

  it('records an amendment and its content hash together, guarded by the version', async () => {
    const record = caseRecord({ caseId: id('case', 2) });
    await store.createCase(anchor('tip_amend', record.caseId), 2026, () => record);
    const updated = {
      ...record,
      version: 2,
      events: [...record.events, { type: 'amended', at: 'now', by: 'source:12336' }],
    };
    await store.recordAmendment('tip_amend', 'h2', updated, 1);
    expect((await store.getTip('tip_amend'))?.contentHashes).toEqual(['h1', 'h2']);
    await expect(
      store.recordAmendment('tip_amend', 'h3', { ...updated, version: 3 }, 1),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    expect((await store.getTip('tip_amend'))?.contentHashes).toEqual(['h1', 'h2']);
  });

  it('numbers cases without gaps, across containers racing for the same year', async () => {
    // Two store instances stand for two containers with their own view of the sequence.
    const other = new DynamoCaseStore(client, 'cases-test', DEFAULT_DEADLINE_POLICY);
    const numbers = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        (n % 2 ? store : other).createCase(anchor(`tip_seq_${n}`, id('case', 100 + n)), 2031, (sequence) =>
          caseRecord({ caseId: id('case', 100 + n), caseNo: String(sequence) }),
        ),
      ),
    );
    expect(numbers.map((c) => Number(c.caseNo)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    // A duplicate takes no number.
    await expect(
      store.createCase(anchor('tip_seq_0', id('case', 100)), 2031, (sequence) =>
        caseRecord({ caseId: id('case', 100), caseNo: String(sequence) }),
      ),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    const next = await store.createCase(anchor('tip_seq_new', id('case', 200)), 2031, (sequence) =>
      caseRecord({ caseId: id('case', 200), caseNo: String(sequence) }),
    );
    expect(next.caseNo).toBe('21');
  });

  it('lists by area and status, newest first, across pages', async () => {
    for (let n = 10; n < 15; n++) {
      const record = caseRecord({
        caseId: id('case', n),
        area: 'guli',
        bureau: 'bureau:guli',
        createdAt: `2026-11-28T0${n - 10}:00:00.000Z`,
      });
      await store.createCase(anchor(`tip_list_${n}`, record.caseId), 2026, () => record);
    }
    const first = await store.listCases({ area: 'guli' }, 2);
    expect(first.items.map((c) => c.caseId)).toEqual([id('case', 14), id('case', 13)]);
    const second = await store.listCases({ area: 'guli' }, 2, first.cursor!);
    const third = await store.listCases({ area: 'guli' }, 2, second.cursor!);
    expect([...second.items, ...third.items].map((c) => c.caseId)).toEqual([
      id('case', 12),
      id('case', 11),
      id('case', 10),
    ]);
    expect(third.cursor).toBeNull();
    expect((await store.listCases({ area: 'guli', status: 'closed' }, 10)).items).toEqual([]);
  });

  it('lists across all areas for the brigade and finds overdue cases through the due index', async () => {
    const overdue = caseRecord({
      caseId: id('case', 20),
      area: 'haiyu',
      createdAt: '2026-11-28T10:00:00.000Z',
      deadlines: [{ kind: 'acknowledge', dueAt: '2026-11-28T12:00:00+08:00', metAt: null, breachedAt: null }],
    });
    await store.createCase(anchor('tip_overdue', overdue.caseId), 2026, () => overdue);
    const all = await store.listCases({ now: '2026-11-29T00:00:00Z' }, 100);
    expect(all.items.length).toBeGreaterThanOrEqual(8);
    const late = await store.listCases({ overdue: true, now: '2026-11-28T05:00:00Z' }, 100);
    expect(late.items.map((c) => c.caseId)).toEqual([overdue.caseId]);
  });

  it('keeps a case overdue after its breach was escalated, and drops it once closed', async () => {
    const due = '2026-11-29T12:00:00+08:00';
    const open = caseRecord({
      caseId: id('case', 30),
      area: 'bixi',
      bureau: 'bureau:bixi',
      createdAt: '2026-11-28T11:00:00.000Z',
      deadlines: [{ kind: 'acknowledge', dueAt: due, metAt: null, breachedAt: null }],
    });
    await store.createCase(anchor('tip_escalated', open.caseId), 2026, () => open);
    // What the sweeper writes: breached and escalated, which takes the case out of the due index.
    const escalated = {
      ...open,
      version: 2,
      deadlines: [
        {
          kind: 'acknowledge' as const,
          dueAt: due,
          metAt: null,
          breachedAt: '2026-11-29T05:00:00.000Z',
          escalatedAt: '2026-11-29T05:00:00.000Z',
        },
      ],
    };
    await store.putCase(escalated, 1);
    const now = new Date('2026-12-01T00:00:00Z');
    expect(await store.findCasesNeedingAttention(now, 100)).not.toContain(open.caseId);

    const byArea = await store.listCases({ area: 'bixi', overdue: true, now: now.toISOString() }, 100);
    expect(byArea.items.map((c) => c.caseId)).toEqual([open.caseId]);
    const everywhere = await store.listCases({ overdue: true, now: now.toISOString() }, 100);
    expect(everywhere.items.map((c) => c.caseId)).toContain(open.caseId);
    // Not yet overdue before the due instant.
    const early = await store.listCases({ area: 'bixi', overdue: true, now: '2026-11-29T03:00:00Z' }, 100);
    expect(early.items).toEqual([]);

    await store.putCase({ ...escalated, status: 'closed', version: 3 }, 2);
    const afterClose = await store.listCases({ area: 'bixi', overdue: true, now: now.toISOString() }, 100);
    expect(afterClose.items).toEqual([]);
  });

  it('stores a large event beside its case, keeps a summary, and reads the body back by reference', async () => {
    const record = caseRecord({ caseId: id('case', 300) });
    await store.createCase(anchor('tip_large', record.caseId), 2026, () => record);
    const large = {
      type: 'comment',
      at: '2026-11-28T02:00:00.000Z',
      by: 'brigade',
      note: '很长'.repeat(1_000),
    };
    await store.putCase({ ...record, events: [...record.events, large], version: 2 }, 1);
    const stored = (await store.getCase(record.caseId))!;
    const summary = stored.events[1]!;
    expect(summary).toMatchObject({
      type: 'comment',
      body: { ref: expect.stringMatching(/^EVENT#000001#/) },
    });
    expect(String(summary.note).length).toBeLessThanOrEqual(121);
    const ref = (summary.body as { ref: string }).ref;
    const bodies = await store.getEventBodies(record.caseId, [ref, 'EVENT#999999#00000000']);
    expect([...bodies]).toEqual([[ref, large]]);
    // Written again (a later event), the summary stays a summary and the case item stays small.
    await store.putCase({ ...stored, version: 3 }, 2);
    expect((await store.getCase(record.caseId))!.events[1]).toEqual(summary);
  });

  it('keeps an unapplied amendment beside the case once, with its hash on the tip', async () => {
    const record = caseRecord({ caseId: id('case', 301) });
    await store.createCase(anchor('tip_unapplied', record.caseId), 2026, () => record);
    const event = {
      type: 'amended',
      at: '2026-11-28T03:00:00.000Z',
      by: 'source:12336',
      unapplied: true,
      amended: { description: '补充'.repeat(3_000) },
    };
    await store.recordUnappliedAmendment('tip_unapplied', 'h2', record.caseId, event);
    await expect(
      store.recordUnappliedAmendment('tip_unapplied', 'h2', record.caseId, event),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    expect((await store.getTip('tip_unapplied'))!.contentHashes).toEqual(['h1', 'h2']);
    const [summary] = await store.listUnappliedAmendments(record.caseId, 10);
    expect(summary).toMatchObject({
      type: 'amended',
      unapplied: true,
      body: { ref: expect.stringMatching(/^UNAPPLIED#/) },
    });
    expect(summary!.amended).toBeUndefined();
    const bodies = await store.getEventBodies(record.caseId, [(summary!.body as { ref: string }).ref]);
    expect([...bodies.values()]).toEqual([event]);
    // The case item itself is untouched.
    expect((await store.getCase(record.caseId))!.version).toBe(1);
  });

  it('defers a failing case in the due index with a failure count, and a write indexes it afresh', async () => {
    const record = caseRecord({ caseId: id('case', 302) });
    await store.createCase(anchor('tip_defer', record.caseId), 2026, () => record);
    const now = new Date('2026-12-01T00:00:00Z');
    const due = () => store.findCasesNeedingAttention(now, 1_000);
    expect(await due()).toContain(record.caseId);
    const delays: number[] = [];
    const retryAt = (failures: number) => {
      delays.push(failures);
      return new Date(now.getTime() + failures * 60_000);
    };
    expect(await store.deferAttention(record.caseId, retryAt)).toBe(1);
    expect(await store.deferAttention(record.caseId, retryAt)).toBe(2);
    expect(delays).toEqual([1, 2]);
    expect(await due()).not.toContain(record.caseId);
    expect(await store.findCasesNeedingAttention(new Date('2026-12-01T00:02:01Z'), 1_000)).toContain(
      record.caseId,
    );
    await store.putCase({ ...record, version: 2 }, 1);
    expect(await due()).toContain(record.caseId);
    // A case without anything pending is not in the index: nothing to defer.
    const closed = caseRecord({ caseId: id('case', 303), status: 'closed' });
    await store.createCase(anchor('tip_defer_closed', closed.caseId), 2026, () => closed);
    expect(await store.deferAttention(closed.caseId, retryAt)).toBe(0);
  });

  it('claims a notification once, lets a stale claim be taken over, and never a sent one', async () => {
    const t0 = new Date('2026-11-28T00:00:00Z');
    expect(await claims.claim('k1', 'n', t0, 1000, 'delivery-a')).toBe('claimed');
    // Another delivery waits while the claim is live; the same delivery takes its own claim back.
    expect(await claims.claim('k1', 'n', t0, 1000, 'delivery-b')).toBe('held');
    expect(await claims.claim('k1', 'n', t0, 1000, 'delivery-a')).toBe('claimed');
    // Past the lease, anyone may take over an unsent claim.
    expect(await claims.claim('k1', 'n', new Date(t0.getTime() + 2000), 1000, 'delivery-b')).toBe('claimed');
    await claims.markSent('k1', t0);
    expect(await claims.claim('k1', 'n', new Date(t0.getTime() + 3_600_000), 1000, 'delivery-b')).toBe(
      'sent',
    );
    await claims.release('k1');
    expect(await claims.claim('k1', 'n', new Date(t0.getTime() + 3_600_000), 1000)).toBe('sent');
  });
});
