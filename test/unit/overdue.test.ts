/**
 * "Overdue" means one thing everywhere: an open case with an unmet deadline past its due instant,
 * breached deadlines included whether or not their escalation was sent.
 */
import { describe, expect, it } from 'vitest';
import { caseIndexAttributes } from '../../shared/adapters/dynamo-case-store.js';
import { isOverdue, overdueFrom } from '../../shared/domain/attention.js';
import type { Deadline } from '../../shared/domain/model.js';
import { listCaseViews } from '../../shared/usecases/read-cases.js';
import { sweepDeadlines } from '../../shared/usecases/sweep-deadlines.js';
import { caseRecord } from '../support/case-record.js';
import { MemoryLedgerStore } from '../support/memory-ledger.js';
import {
  FakeVault,
  ManualClock,
  MemoryAssignmentQueue,
  MemoryAuditLog,
  MemoryCaseStore,
} from '../support/memory-ports.js';

// The default record's acknowledge deadline is due 2026-11-30T23:59:59+08:00 = 15:59:59Z.
const AFTER_ACKNOWLEDGE = '2026-12-01T00:00:00Z';

const escalatedBreach: Deadline = {
  kind: 'acknowledge',
  dueAt: '2026-11-30T23:59:59+08:00',
  metAt: null,
  breachedAt: '2026-12-01T00:00:00.000Z',
  escalatedAt: '2026-12-01T00:00:00.000Z',
};

describe('overdueFrom / isOverdue', () => {
  it('counts a breached deadline whose escalation was already sent', () => {
    const record = caseRecord({ deadlines: [escalatedBreach] });
    expect(overdueFrom(record)).toBe('2026-11-30T15:59:59.000Z');
    expect(isOverdue(record, new Date(AFTER_ACKNOWLEDGE))).toBe(true);
  });

  it('is the earliest unmet due instant, ignores met deadlines, and nothing once closed', () => {
    const record = caseRecord({
      deadlines: [
        { ...escalatedBreach, metAt: '2026-12-01T01:00:00Z' },
        { kind: 'inspect', dueAt: '2026-12-01T23:59:59+08:00', metAt: null, breachedAt: null },
      ],
    });
    expect(overdueFrom(record)).toBe('2026-12-01T15:59:59.000Z');
    expect(isOverdue(record, new Date(AFTER_ACKNOWLEDGE))).toBe(false);
    expect(overdueFrom(caseRecord({ status: 'closed', deadlines: [escalatedBreach] }))).toBeUndefined();
  });

  it('keeps overdueAt on the stored item after the escalation, and not on a closed case', () => {
    expect(caseIndexAttributes(caseRecord({ deadlines: [escalatedBreach] })).overdueAt).toBe(
      '2026-11-30T15:59:59.000Z',
    );
    // A reminder instant never makes a case overdue early.
    expect(caseIndexAttributes(caseRecord()).overdueAt).toBe('2026-11-30T15:59:59.000Z');
    expect(
      caseIndexAttributes(caseRecord({ status: 'closed', deadlines: [escalatedBreach] })).overdueAt,
    ).toBeUndefined();
  });
});

describe('GET /v1/cases?overdue=true over the memory store', () => {
  it('still lists a case after the sweeper escalated its breach, and the view says overdue', async () => {
    const store = new MemoryCaseStore();
    const record = caseRecord();
    const closed = caseRecord({ caseId: 'case_closedaaaaaaaaaaaaaaaaaaa', status: 'closed' });
    const onTime = caseRecord({
      caseId: 'case_ontimeaaaaaaaaaaaaaaaaaaa',
      deadlines: [{ kind: 'close', dueAt: '2026-12-18T23:59:59+08:00', metAt: null, breachedAt: null }],
    });
    for (const c of [record, closed, onTime]) store.cases.set(c.caseId, c);
    const clock = new ManualClock(new Date(AFTER_ACKNOWLEDGE));
    const queue = new MemoryAssignmentQueue();
    const notifyTownDeadline = (): Deadline => ({
      kind: 'notify_town',
      dueAt: '2026-12-04T23:59:59+08:00',
      metAt: null,
      breachedAt: null,
    });
    await sweepDeadlines({ store, queue, clock, ledger: new MemoryLedgerStore(), notifyTownDeadline });
    expect(queue.messages.map((m) => m.type)).toEqual(['escalation']);
    expect((await store.getCase(record.caseId))!.deadlines[0]!.escalatedAt).toBeTruthy();

    clock.advance(60_000);
    const deps = { store, vault: new FakeVault(), clock, audit: new MemoryAuditLog() };
    const page = await listCaseViews({ kind: 'brigade' }, { overdue: true, limit: 20 }, deps);
    expect(page.items.map((c) => [c.caseId, c.overdue])).toEqual([[record.caseId, true]]);
    const all = await listCaseViews({ kind: 'brigade' }, { limit: 20 }, deps);
    expect(Object.fromEntries(all.items.map((c) => [c.caseId, c.overdue]))).toEqual({
      [record.caseId]: true,
      [closed.caseId]: false,
      [onTime.caseId]: false,
    });
  });
});
