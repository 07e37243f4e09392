import { describe, expect, it } from 'vitest';
import { shardOf } from '../../shared/adapters/dynamo-case-store.js';
import { DUE_SHARDS } from '../../shared/adapters/table-schema.js';
import { SWEEP_RETRY_MAX_MS, sweepRetryDelayMs } from '../../shared/domain/attention.js';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { AREA_IDS, type CaseRecord, type Deadline } from '../../shared/domain/model.js';
import { recomputeProvisionalDeadlines } from '../../shared/usecases/recompute-deadlines.js';
import { sweepDeadlines } from '../../shared/usecases/sweep-deadlines.js';
import { caseRecord } from '../support/case-record.js';
import { MemoryLedgerStore } from '../support/memory-ledger.js';
import { ManualClock, MemoryAssignmentQueue, MemoryCaseStore } from '../support/memory-ports.js';

const notifyTownDeadline = (from: string): Deadline => ({
  kind: 'notify_town',
  dueAt: from,
  metAt: null,
  breachedAt: null,
});

/** A store whose every read and write of one case fails, as DynamoDB did for a case past 400 KB. */
class PoisonedStore extends MemoryCaseStore {
  constructor(public poisoned: string) {
    super();
  }
  override async getCase(caseId: string) {
    if (caseId === this.poisoned)
      throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
        name: 'ValidationException',
      });
    return super.getCase(caseId);
  }
  override async putCase(updated: CaseRecord, expectedVersion: number) {
    if (updated.caseId === this.poisoned) throw new Error('poisoned');
    return super.putCase(updated, expectedVersion);
  }
}

/** Overdue cases in every area, and ids that together fall in every due-index shard. */
function overdueCases(): CaseRecord[] {
  const cases: CaseRecord[] = [];
  for (let i = 0; cases.length < 36 || new Set(cases.map((c) => shardOf(c.caseId))).size < DUE_SHARDS; i++) {
    const area = AREA_IDS[i % AREA_IDS.length]!;
    cases.push(
      caseRecord({
        caseId: `case_${String(i).padStart(26, '0')}`,
        area,
        bureau: `bureau:${area}`,
        // The poisoned case (the first) is the earliest due: it comes up first in the sweep.
        deadlines: [
          {
            kind: 'acknowledge',
            dueAt: new Date(Date.parse('2026-11-30T10:00:00Z') + i * 60_000).toISOString(),
            metAt: null,
            breachedAt: null,
          },
        ],
      }),
    );
  }
  return cases;
}

describe('a sweep with one failing case', () => {
  it('escalates every other overdue case, in every area and shard, in the same sweep', async () => {
    const cases = overdueCases();
    const poisoned = cases[0]!.caseId;
    const store = new PoisonedStore(poisoned);
    for (const record of cases) store.cases.set(record.caseId, record);
    const queue = new MemoryAssignmentQueue();
    const clock = new ManualClock(new Date('2026-12-01T00:00:00Z'));
    const deps = { store, queue, clock, ledger: new MemoryLedgerStore(), notifyTownDeadline };

    const outcome = await sweepDeadlines(deps);

    const others = cases.slice(1);
    expect(new Set(others.map((c) => shardOf(c.caseId))).size).toBe(DUE_SHARDS);
    expect(new Set(others.map((c) => c.area)).size).toBe(AREA_IDS.length);
    expect(outcome.escalated.map((e) => e.caseId).sort()).toEqual(others.map((c) => c.caseId).sort());
    expect(queue.messages.filter((m) => m.type === 'escalation').map((m) => m.caseId)).not.toContain(
      poisoned,
    );
    for (const record of others) {
      expect(store.cases.get(record.caseId)!.deadlines[0]).toMatchObject({
        breachedAt: '2026-12-01T00:00:00.000Z',
        escalatedAt: '2026-12-01T00:00:00.000Z',
      });
    }
    // Every other case with a bureau went on the ledger.
    expect(outcome.ledger).toHaveLength(others.length);
    expect(outcome.failed).toEqual([
      {
        caseId: poisoned,
        error: expect.objectContaining({ name: 'ValidationException' }),
        failures: 1,
        retryAt: '2026-12-01T00:01:00.000Z',
      },
    ]);
  });

  it('retries the failing case later with a growing delay, and normally once it is healed', async () => {
    const cases = overdueCases().slice(0, 2);
    const poisoned = cases[0]!.caseId;
    const store = new PoisonedStore(poisoned);
    for (const record of cases) store.cases.set(record.caseId, record);
    const clock = new ManualClock(new Date('2026-12-01T00:00:00Z'));
    const deps = {
      store,
      queue: new MemoryAssignmentQueue(),
      clock,
      ledger: new MemoryLedgerStore(),
      notifyTownDeadline,
    };

    expect((await sweepDeadlines(deps)).failed).toHaveLength(1);
    // Not fetched again before its retry instant: the failing case costs nothing meanwhile.
    clock.advance(30_000);
    expect((await sweepDeadlines(deps)).casesExamined).toBe(0);
    clock.advance(31_000);
    const second = await sweepDeadlines(deps);
    expect(second.failed).toMatchObject([{ caseId: poisoned, failures: 2 }]);
    expect(store.deferred.get(poisoned)).toEqual({ failures: 2, until: '2026-12-01T00:03:01.000Z' });

    // Healed: the next attempt escalates it, and its write clears the failure count.
    store.poisoned = '';
    clock.advance(3 * 60_000);
    const healed = await sweepDeadlines(deps);
    expect(healed.failed).toEqual([]);
    expect(healed.escalated).toEqual([{ caseId: poisoned, deadline: 'acknowledge' }]);
    expect(store.deferred.has(poisoned)).toBe(false);
  });

  it('recounts provisional deadlines past a failing case, naming it', async () => {
    const cases = overdueCases().slice(0, 3);
    const store = new PoisonedStore(cases[1]!.caseId);
    for (const record of cases) store.cases.set(record.caseId, record);
    const outcome = await recomputeProvisionalDeadlines({
      store,
      clock: new ManualClock(new Date('2026-12-01T00:00:00Z')),
      calendar: new WorkingCalendar(),
    });
    expect(outcome.casesExamined).toBe(3);
    expect(outcome.failed).toEqual([{ caseId: cases[1]!.caseId, error: expect.any(Error) }]);
  });

  it('backs off from a minute, doubling, to at most an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(sweepRetryDelayMs)).toEqual([
      60_000,
      120_000,
      240_000,
      480_000,
      960_000,
      1_920_000,
      3_600_000,
      3_600_000,
      SWEEP_RETRY_MAX_MS,
    ]);
  });
});
