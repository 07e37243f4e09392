import { describe, expect, it } from 'vitest';
import type { CaseRecord, Deadline } from '../../shared/domain/model.js';
import { notifyWork } from '../../shared/usecases/notify-case.js';
import { markBreaches, sweepDeadlines } from '../../shared/usecases/sweep-deadlines.js';
import { caseRecord } from '../support/case-record.js';
import { MemoryLedgerStore } from '../support/memory-ledger.js';
import {
  ManualClock,
  MemoryAssignmentQueue,
  MemoryCaseStore,
  MemoryNotificationClaims,
  MemoryNotifier,
} from '../support/memory-ports.js';

const notifyTownDeadline = (from: string): Deadline => ({
  kind: 'notify_town',
  dueAt: `after-${from}`,
  metAt: null,
  breachedAt: null,
});

function setup(record: CaseRecord, now = '2026-12-01T00:00:00Z') {
  const store = new MemoryCaseStore();
  store.cases.set(record.caseId, record);
  const queue = new MemoryAssignmentQueue();
  const clock = new ManualClock(new Date(now));
  const ledger = new MemoryLedgerStore();
  const claims = new MemoryNotificationClaims();
  return { store, queue, clock, ledger, claims, deps: { store, queue, clock, ledger, notifyTownDeadline } };
}

describe('sweepDeadlines', () => {
  it('marks a passed deadline breached once and hands its escalation over once', async () => {
    // acknowledge was due 2026-11-30 23:59:59 Shanghai = 15:59:59Z.
    const { deps, store, queue, clock } = setup(caseRecord());
    const first = await sweepDeadlines(deps);
    expect(first.breached).toEqual([{ caseId: 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa', deadline: 'acknowledge' }]);
    expect(queue.messages).toEqual([
      {
        type: 'escalation',
        caseId: 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa',
        deadline: 'acknowledge',
        target: 'bureau:shajiabang',
      },
    ]);
    const stored = (await store.getCase('case_aaaaaaaaaaaaaaaaaaaaaaaaaa'))!;
    expect(stored.deadlines[0]).toMatchObject({
      breachedAt: '2026-12-01T00:00:00.000Z',
      escalatedAt: '2026-12-01T00:00:00.000Z',
    });
    expect(stored.events.at(-1)).toMatchObject({ type: 'deadline_breached', deadline: 'acknowledge' });

    clock.advance(60_000);
    const second = await sweepDeadlines(deps);
    expect(second).toMatchObject({ casesExamined: 0, breached: [], escalated: [] });
    expect(queue.messages).toHaveLength(1);
  });

  it('leaves met deadlines, future deadlines and closed cases alone', async () => {
    const record = caseRecord({
      deadlines: [
        {
          kind: 'acknowledge',
          dueAt: '2026-11-30T23:59:59+08:00',
          metAt: '2026-11-29T01:00:00Z',
          breachedAt: null,
        },
        { kind: 'inspect', dueAt: '2026-12-01T23:59:59+08:00', metAt: null, breachedAt: null },
      ],
    });
    const { deps, queue } = setup(record);
    expect((await sweepDeadlines(deps)).breached).toEqual([]);
    const closed = setup(caseRecord({ status: 'closed' }));
    expect((await sweepDeadlines(closed.deps)).breached).toEqual([]);
    expect(queue.messages).toEqual([]);
  });

  it('escalates exactly once when two sweeps overlap', async () => {
    const { deps, store, queue, claims } = setup(caseRecord());
    const notifier = new MemoryNotifier();
    await Promise.all([sweepDeadlines(deps), sweepDeadlines(deps)]);
    const breaches = (await store.getCase('case_aaaaaaaaaaaaaaaaaaaaaaaaaa'))!.events.filter(
      (e) => e.type === 'deadline_breached',
    );
    expect(breaches).toHaveLength(1);
    // Whatever was handed over, the notifier sends each escalation once.
    for (const message of queue.messages)
      await notifyWork(message, { store, claims, notifier, clock: deps.clock });
    expect(notifier.sent.map((n) => `${n.kind}:${n.target}:${n.deadline}`)).toEqual([
      'escalation:brigade:acknowledge',
      'escalation:bureau:shajiabang:acknowledge',
    ]);
  });

  it('retries the hand-over on the next sweep when the queue failed', async () => {
    const { deps, store, queue, clock } = setup(caseRecord());
    const send = queue.send.bind(queue);
    let fail = true;
    queue.send = async (message) => {
      if (fail) throw new Error('SQS down');
      return send(message);
    };
    const failed = await sweepDeadlines(deps);
    expect(failed.failed).toMatchObject([
      { caseId: 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa', error: { message: 'SQS down' }, failures: 1 },
    ]);
    expect((await store.getCase('case_aaaaaaaaaaaaaaaaaaaaaaaaaa'))!.deadlines[0]).toMatchObject({
      escalatedAt: null,
    });
    fail = false;
    // The failed case is retried a minute later (the back-off's first step).
    clock.advance(61_000);
    const retry = await sweepDeadlines(deps);
    expect(retry.breached).toEqual([]);
    expect(retry.escalated).toEqual([{ caseId: 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa', deadline: 'acknowledge' }]);
    expect(queue.messages).toHaveLength(1);
  });

  it('opens notify_town when a stop deadline passes, and escalates the stop to the town too', async () => {
    const record = caseRecord({
      status: 'inspected',
      deadlines: [{ kind: 'stop', dueAt: '2026-11-30T23:59:59+08:00', metAt: null, breachedAt: null }],
    });
    const marked = markBreaches(record, new Date('2026-12-01T00:00:00Z'), { notifyTownDeadline });
    expect(marked.deadlines.map((d) => d.kind)).toEqual(['stop', 'notify_town']);
    const { deps, store, claims } = setup(record);
    await sweepDeadlines(deps);
    const notifier = new MemoryNotifier();
    await notifyWork(
      { type: 'escalation', caseId: record.caseId, deadline: 'stop', target: 'bureau:shajiabang' },
      { store, claims, notifier, clock: deps.clock },
    );
    expect(notifier.sent.map((n) => n.target)).toEqual(['brigade', 'bureau:shajiabang', 'town:shajiabang']);
    expect(notifier.sent.every((n) => [...n.sms].length <= 70)).toBe(true);
  });
});
