/**
 * updateCase, the one optimistic-locking read-modify-write of a case, and what each of its users
 * does once every attempt lost to another writer: the case API answers 409, the sweeper leaves the
 * case to its next run, the recount skips it.
 */
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import type { EventContext } from '../../shared/domain/case-events.js';
import type { CaseRecord, Deadline } from '../../shared/domain/model.js';
import { ConditionFailedError } from '../../shared/ports/index.js';
import { recordCaseEvent } from '../../shared/usecases/act-on-case.js';
import { ConflictError } from '../../shared/usecases/errors.js';
import { recomputeProvisionalDeadlines } from '../../shared/usecases/recompute-deadlines.js';
import { sweepDeadlines } from '../../shared/usecases/sweep-deadlines.js';
import { UPDATE_ATTEMPTS, updateCase } from '../../shared/usecases/update-case.js';
import { caseRecord } from '../support/case-record.js';
import { MemoryLedgerStore } from '../support/memory-ledger.js';
import { ManualClock, MemoryAssignmentQueue, MemoryCaseStore } from '../support/memory-ports.js';

const CASE_ID = 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa';

/** A store where another writer changes the case just before each of the next `times` writes. */
function contendedStore(record: CaseRecord, times = Number.POSITIVE_INFINITY) {
  const store = new MemoryCaseStore();
  store.cases.set(record.caseId, record);
  let left = times;
  const reads: number[] = [];
  const getCase = store.getCase.bind(store);
  store.getCase = async (caseId) => {
    const found = await getCase(caseId);
    if (found) reads.push(found.version);
    return found;
  };
  const putCase = store.putCase.bind(store);
  store.putCase = async (updated, expectedVersion) => {
    if (left-- > 0) {
      const current = store.cases.get(updated.caseId)!;
      store.cases.set(updated.caseId, { ...current, version: current.version + 1 });
    }
    return putCase(updated, expectedVersion);
  };
  return { store, reads };
}

const touched = (record: CaseRecord): CaseRecord => ({
  ...record,
  updatedAt: 'changed',
  version: record.version + 1,
});

describe('updateCase', () => {
  it('writes the change over the version it read', async () => {
    const { store } = contendedStore(caseRecord(), 0);
    const update = await updateCase(store, CASE_ID, touched);
    expect(update).toMatchObject({ outcome: 'updated', before: { version: 1 }, after: { version: 2 } });
    expect((await store.getCase(CASE_ID))?.updatedAt).toBe('changed');
  });

  it('writes nothing when the change returns the case it was given', async () => {
    const { store } = contendedStore(caseRecord(), 0);
    let writes = 0;
    const putCase = store.putCase.bind(store);
    store.putCase = async (...args) => {
      writes++;
      return putCase(...args);
    };
    expect(await updateCase(store, CASE_ID, (record) => record)).toMatchObject({
      outcome: 'unchanged',
      record: { version: 1 },
    });
    expect(writes).toBe(0);
  });

  it('says so when there is no such case', async () => {
    const store = new MemoryCaseStore();
    expect(await updateCase(store, CASE_ID, touched)).toEqual({ outcome: 'missing' });
  });

  it('reads again and applies the change to what the other writer left after a conflict', async () => {
    const { store, reads } = contendedStore(caseRecord(), 2);
    const seen: number[] = [];
    const update = await updateCase(store, CASE_ID, (record) => {
      seen.push(record.version);
      return touched(record);
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(reads).toEqual([1, 2, 3]);
    expect(update).toMatchObject({ outcome: 'updated', before: { version: 3 }, after: { version: 4 } });
  });

  it(`gives up after ${UPDATE_ATTEMPTS} lost attempts and leaves the decision to the caller`, async () => {
    const { store } = contendedStore(caseRecord());
    let applied = 0;
    const update = await updateCase(store, CASE_ID, (record) => {
      applied++;
      return touched(record);
    });
    expect(update).toEqual({ outcome: 'contended' });
    expect(applied).toBe(UPDATE_ATTEMPTS);
  });

  it('starts from the case the caller holds, and reads only after a conflict', async () => {
    const record = caseRecord();
    const { store, reads } = contendedStore(record, 1);
    const update = await updateCase(store, CASE_ID, touched, { current: record });
    expect(reads).toEqual([2]);
    expect(update).toMatchObject({ outcome: 'updated', before: { version: 2 } });
  });

  it('passes on what the change throws and failures other than a lost condition, untried again', async () => {
    const { store } = contendedStore(caseRecord(), 0);
    await expect(
      updateCase(store, CASE_ID, () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    let writes = 0;
    store.putCase = async () => {
      writes++;
      throw new Error('throttled');
    };
    await expect(updateCase(store, CASE_ID, touched)).rejects.toThrow('throttled');
    expect(writes).toBe(1);
  });

  it('treats ConditionFailedError as the only sign of another writer', async () => {
    const { store } = contendedStore(caseRecord(), 0);
    let conflicts = 1;
    const putCase = store.putCase.bind(store);
    store.putCase = async (...args) => {
      if (conflicts-- > 0) throw new ConditionFailedError();
      return putCase(...args);
    };
    expect((await updateCase(store, CASE_ID, touched)).outcome).toBe('updated');
  });
});

describe('when every attempt lost', () => {
  const eventContext = (now: Date): EventContext => ({
    now,
    stopDeadline: () => {
      throw new Error('not used');
    },
    notifyTownDeadline: () => {
      throw new Error('not used');
    },
    area: () => ({ name: '古里镇', district: 'district-2' }),
  });

  it('the case API answers 409: retry the event', async () => {
    const { store } = contendedStore(caseRecord());
    const deps = {
      store,
      queue: new MemoryAssignmentQueue(),
      clock: new ManualClock(new Date('2026-11-28T02:00:00Z')),
      eventContext,
    };
    await expect(
      recordCaseEvent({ kind: 'brigade' }, CASE_ID, { type: 'comment', note: '现场复核' }, deps),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(deps.queue.messages).toEqual([]);
  });

  it('the sweeper leaves the case to its next run, reporting nothing for it', async () => {
    const { store } = contendedStore(caseRecord());
    const queue = new MemoryAssignmentQueue();
    const notifyTownDeadline = (): Deadline => {
      throw new Error('not used');
    };
    const outcome = await sweepDeadlines({
      store,
      queue,
      clock: new ManualClock(new Date('2026-12-01T00:00:00Z')),
      ledger: new MemoryLedgerStore(),
      notifyTownDeadline,
    });
    expect(outcome).toMatchObject({ casesExamined: 1, breached: [], escalated: [], ledger: [] });
    expect(queue.messages).toEqual([]);
    expect((await store.getCase(CASE_ID))?.deadlines[0]?.breachedAt).toBeNull();
  });

  it('the recount skips the case without counting it', async () => {
    const provisional = caseRecord({
      deadlines: [
        {
          kind: 'close',
          dueAt: '2041-02-20T23:59:59+08:00',
          metAt: null,
          breachedAt: null,
          provisional: true,
          countedFrom: '2041-01-28T09:00:00+08:00',
        },
      ],
    });
    const { store } = contendedStore(provisional);
    const calendar = new WorkingCalendar({
      overrides: [{ year: 2041, holidays: ['2041-02-01', '2041-02-04', '2041-02-05'], workdays: [] }],
    });
    const clock = new ManualClock(new Date('2041-01-29T00:00:00Z'));
    const outcome = await recomputeProvisionalDeadlines({ store, clock, calendar });
    expect(outcome).toMatchObject({ casesExamined: 1, provisionalExamined: 0, moved: [], confirmed: 0 });
    expect((await store.getCase(CASE_ID))?.deadlines[0]?.dueAt).toBe('2041-02-20T23:59:59+08:00');
    // Uncontended, the same recount moves the deadline.
    const { store: calm } = contendedStore(provisional, 0);
    const moved = await recomputeProvisionalDeadlines({ store: calm, clock, calendar });
    expect(moved).toMatchObject({ provisionalExamined: 1, moved: [{ caseId: CASE_ID, deadline: 'close' }] });
  });
});
