/**
 * The sweeper's reminders, its escalations from triage, and the accountability ledger it writes at
 * breach time, over in-memory ports with a manual clock: no test waits for a deadline.
 */
import { describe, expect, it } from 'vitest';
import type { CaseEvent, CaseRecord, Deadline } from '../../shared/domain/model.js';
import { ledgerQuerySchema, parseQuery } from '../../shared/http/query.js';
import { ForbiddenError, ValidationError } from '../../shared/usecases/errors.js';
import { readLedger } from '../../shared/usecases/ledger.js';
import { notifyWork } from '../../shared/usecases/notify-case.js';
import { sweepDeadlines } from '../../shared/usecases/sweep-deadlines.js';
import { caseRecord } from '../support/case-record.js';
import { MemoryLedgerStore } from '../support/memory-ledger.js';
import {
  ManualClock,
  MemoryAssignmentQueue,
  MemoryCaseStore,
  MemoryNotificationClaims,
  MemoryNotifier,
} from '../support/memory-ports.js';

/** The query as the API parses it, read by the use case after its role check. */
const query = (raw: Record<string, string>) => () => parseQuery(ledgerQuerySchema, raw);

const notifyTownDeadline = (from: string): Deadline => ({
  kind: 'notify_town',
  dueAt: new Date(Date.parse(from) + 86_400_000).toISOString(),
  metAt: null,
  breachedAt: null,
});

function setup(records: CaseRecord[], now: string, reminderLeadMs?: number) {
  const store = new MemoryCaseStore();
  for (const record of records) store.cases.set(record.caseId, record);
  const queue = new MemoryAssignmentQueue();
  const clock = new ManualClock(new Date(now));
  const ledger = new MemoryLedgerStore();
  const notifier = new MemoryNotifier();
  const claims = new MemoryNotificationClaims();
  const deps = {
    store,
    queue,
    clock,
    ledger,
    notifyTownDeadline,
    ...(reminderLeadMs === undefined ? {} : { policy: { reminderLeadMs } }),
  };
  const deliver = async () => {
    for (const message of queue.messages.splice(0))
      await notifyWork(message, { store, claims, notifier, clock });
  };
  return { store, queue, clock, ledger, notifier, claims, deps, deliver };
}

const open = (kind: Deadline['kind'], dueAt: string, extra: Partial<Deadline> = {}): Deadline => ({
  kind,
  dueAt,
  metAt: null,
  breachedAt: null,
  ...extra,
});

const event = (type: string, at: string, by: string, extra: Record<string, unknown> = {}): CaseEvent => ({
  type,
  at,
  by,
  ...extra,
});

describe('reminders before a deadline', () => {
  // inspect due Tuesday 1 December 2026 23:59:59 Shanghai = 15:59:59Z.
  const record = caseRecord({
    status: 'acknowledged',
    deadlines: [
      open('acknowledge', '2026-11-30T23:59:59+08:00', { metAt: '2026-11-30T02:00:00.000Z' }),
      open('inspect', '2026-12-01T23:59:59+08:00'),
      open('close', '2026-12-18T23:59:59+08:00'),
    ],
  });

  it('reminds the bureau two hours before, once per (case, deadline)', async () => {
    const { deps, queue, clock, store, claims, notifier, deliver } = setup([record], '2026-12-01T13:59:00Z');
    expect((await sweepDeadlines(deps)).reminded).toEqual([]);
    clock.set('2026-12-01T14:00:00Z');
    const first = await sweepDeadlines(deps);
    expect(first.reminded).toEqual([{ caseId: record.caseId, deadline: 'inspect' }]);
    expect(queue.messages).toEqual([
      { type: 'reminder', caseId: record.caseId, deadline: 'inspect', target: 'bureau:shajiabang' },
    ]);
    const message = queue.messages[0]!;
    await deliver();
    clock.advance(60_000);
    expect((await sweepDeadlines(deps)).reminded).toEqual([]);
    // A redelivered reminder message sends nothing more.
    await notifyWork(message, { store, claims, notifier, clock });
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]).toMatchObject({
      kind: 'reminder',
      audience: 'bureau',
      target: 'bureau:shajiabang',
      deadline: 'inspect',
    });
    expect([...notifier.sent[0]!.sms].length).toBeLessThanOrEqual(70);
    expect(notifier.sent[0]!.sms).toContain('12月1日23:59');
    expect((await store.getCase(record.caseId))!.deadlines[1]!.remindedAt).toBe('2026-12-01T14:00:00.000Z');
  });

  it('follows a configured lead', async () => {
    const { deps } = setup([record], '2026-12-01T14:00:00Z', 30 * 60_000);
    expect((await sweepDeadlines(deps)).reminded).toEqual([]);
    deps.clock.set('2026-12-01T15:30:00Z');
    expect((await sweepDeadlines(deps)).reminded).toEqual([{ caseId: record.caseId, deadline: 'inspect' }]);
  });

  it("reminds halfway when a deadline is shorter than the lead (a major case's two hours)", async () => {
    const major = caseRecord({
      severity: 'major',
      deadlines: [
        open('acknowledge', '2026-11-29T01:30:00+08:00', { countedFrom: '2026-11-28T23:30:00+08:00' }),
      ],
    });
    const { deps, clock } = setup([major], '2026-11-28T16:29:00Z');
    expect((await sweepDeadlines(deps)).reminded).toEqual([]);
    clock.set('2026-11-28T16:30:01Z');
    expect((await sweepDeadlines(deps)).reminded).toEqual([
      { caseId: major.caseId, deadline: 'acknowledge' },
    ]);
  });

  it('sends no reminder for a deadline met meanwhile', async () => {
    const { deps, store, deliver, notifier } = setup([record], '2026-12-01T14:00:00Z');
    await sweepDeadlines(deps);
    const stored = (await store.getCase(record.caseId))!;
    stored.deadlines[1]!.metAt = '2026-12-01T14:00:30.000Z';
    await store.putCase({ ...stored, version: stored.version + 1 }, stored.version);
    await deliver();
    expect(notifier.sent).toEqual([]);
  });
});

describe('escalation from triage', () => {
  it('escalates a breach of a triage case to the brigade only, and writes no ledger entry', async () => {
    const triage = caseRecord({
      status: 'triage',
      area: null,
      areaName: null,
      district: null,
      bureau: 'brigade',
    });
    const { deps, queue, ledger, notifier, deliver } = setup([triage], '2026-12-01T00:00:00Z');
    const outcome = await sweepDeadlines(deps);
    expect(outcome.breached).toEqual([{ caseId: triage.caseId, deadline: 'acknowledge' }]);
    expect(queue.messages).toEqual([
      { type: 'escalation', caseId: triage.caseId, deadline: 'acknowledge', target: 'brigade' },
    ]);
    await deliver();
    expect(notifier.sent.map((n) => `${n.kind}:${n.audience}:${n.target}:${n.deadline}`)).toEqual([
      'escalation:brigade:brigade:acknowledge',
    ]);
    expect(outcome.ledger).toEqual([]);
    expect(ledger.entries.size).toBe(0);
  });
});

describe('the accountability ledger', () => {
  const officer = { name: '王五', role: 'officer' as const };
  const chief = { name: '李四', role: 'chief' as const };

  it('admonishes the bureau for a missed acknowledgement, naming nobody it does not know', async () => {
    const { deps } = setup([caseRecord()], '2026-12-01T00:00:00Z');
    const outcome = await sweepDeadlines(deps);
    expect(outcome.ledger).toEqual([
      expect.objectContaining({
        entryId: 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa#acknowledge#admonishment',
        year: 2026,
        bureau: 'bureau:shajiabang',
        kind: 'admonishment',
        caseNo: '2026-000042',
        deadline: 'acknowledge',
        dueAt: '2026-11-30T23:59:59+08:00',
        breachedAt: '2026-12-01T00:00:00.000Z',
        chief: 'unknown',
        officer: 'unknown',
      }),
    ]);
  });

  it('names the officer who acknowledged and the chief seen on the case when the inspection is missed', async () => {
    const record = caseRecord({
      status: 'acknowledged',
      deadlines: [
        open('acknowledge', '2026-11-30T23:59:59+08:00', { metAt: '2026-11-30T02:00:00.000Z' }),
        open('inspect', '2026-12-01T23:59:59+08:00'),
      ],
      events: [
        event('created', '2026-11-28T01:15:10.000Z', 'system'),
        event('acknowledge', '2026-11-30T02:00:00.000Z', 'bureau:shajiabang', { actor: officer }),
        event('comment', '2026-11-30T03:00:00.000Z', 'bureau:shajiabang', { actor: chief, note: '尽快核查' }),
        event('comment', '2026-11-30T04:00:00.000Z', 'brigade', { actor: { name: '赵六', role: 'chief' } }),
      ],
    });
    const { deps } = setup([record], '2026-12-02T00:00:00Z');
    const [entry] = (await sweepDeadlines(deps)).ledger;
    expect(entry).toMatchObject({
      kind: 'admonishment',
      deadline: 'inspect',
      chief: '李四',
      officer: '王五',
    });
  });

  it('criticises an unstopped confirmed violation at its close deadline; the second in a year is a veto', async () => {
    const unstopped = (n: number): CaseRecord =>
      caseRecord({
        caseId: `case_${String.fromCharCode(97 + n).repeat(26)}`,
        caseNo: `2026-00000${n}`,
        status: 'stopping',
        deadlines: [
          open('acknowledge', '2026-11-30T23:59:59+08:00', { metAt: '2026-11-30T02:00:00.000Z' }),
          open('inspect', '2026-12-01T23:59:59+08:00', { metAt: '2026-12-01T02:00:00.000Z' }),
          open('stop', '2026-12-04T23:59:59+08:00', {
            breachedAt: '2026-12-04T16:00:00.000Z',
            escalatedAt: '2026-12-04T16:00:00.000Z',
          }),
          open('notify_town', '2026-12-07T23:59:59+08:00', { metAt: '2026-12-05T02:00:00.000Z' }),
          open('close', '2026-12-18T23:59:59+08:00'),
        ],
        events: [
          event('created', '2026-11-28T01:15:10.000Z', 'system'),
          event('inspect', '2026-12-01T02:00:00.000Z', 'bureau:shajiabang', {
            finding: 'violation_confirmed',
            actor: officer,
          }),
          event('stop', '2026-12-02T02:00:00.000Z', 'bureau:shajiabang', {
            result: 'failed',
            actor: officer,
          }),
        ],
      });
    const stoppedInTime = caseRecord({
      ...unstopped(3),
      events: [
        ...unstopped(3).events,
        event('stop', '2026-12-03T02:00:00.000Z', 'bureau:shajiabang', { result: 'stopped' }),
      ],
    });
    const { deps, ledger, clock } = setup([unstopped(1), stoppedInTime], '2026-12-19T00:00:00Z');
    const first = await sweepDeadlines(deps);
    expect(first.ledger.map((e) => `${e.caseNo}:${e.kind}:${e.deadline}`)).toEqual([
      '2026-000001:criticism:close',
    ]);
    expect(first.ledger[0]).toMatchObject({ officer: '王五', chief: 'unknown' });
    expect((await ledger.list(2026)).vetoes).toEqual([]);

    deps.store.cases.set(unstopped(2).caseId, unstopped(2));
    clock.advance(60_000);
    const second = await sweepDeadlines(deps);
    expect(second.ledger.map((e) => `${e.caseNo}:${e.kind}`)).toEqual(['2026-000002:criticism']);
    const year = await readLedger({ kind: 'brigade' }, query({}), { ledger, clock });
    expect(year).toMatchObject({ year: 2026, vetoes: ['bureau:shajiabang'] });
    expect(year.entries.map((e) => e.caseNo)).toEqual(['2026-000001', '2026-000002']);
  });

  it('writes each breach once, even when two sweeps overlap, and escalates it once', async () => {
    const { deps, ledger, deliver, notifier } = setup([caseRecord()], '2026-12-01T00:00:00Z');
    await Promise.all([sweepDeadlines(deps), sweepDeadlines(deps), sweepDeadlines(deps)]);
    expect(ledger.entries.size).toBe(1);
    await deliver();
    expect(notifier.sent.map((n) => `${n.kind}:${n.target}`)).toEqual([
      'escalation:brigade',
      'escalation:bureau:shajiabang',
    ]);
  });

  it('keeps the breach pending while the ledger cannot be written, then writes it once', async () => {
    const { deps, ledger, queue, store, clock } = setup([caseRecord()], '2026-12-01T00:00:00Z');
    ledger.failNext = 1;
    const failed = await sweepDeadlines(deps);
    expect(failed.failed).toMatchObject([{ error: { message: 'ledger table unavailable' } }]);
    expect(queue.messages).toEqual([]);
    expect((await store.getCase('case_aaaaaaaaaaaaaaaaaaaaaaaaaa'))!.deadlines[0]!.escalatedAt).toBeNull();
    clock.advance(61_000);
    const retry = await sweepDeadlines(deps);
    expect(retry.ledger).toHaveLength(1);
    expect(retry.escalated).toEqual([{ caseId: 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa', deadline: 'acknowledge' }]);
    expect(ledger.entries.size).toBe(1);
  });
});

describe('readLedger (GET /v1/ledger)', () => {
  it('is for the brigade only', async () => {
    const deps = {
      ledger: new MemoryLedgerStore(),
      clock: new ManualClock(new Date('2026-12-01T00:00:00Z')),
    };
    await expect(readLedger({ kind: 'bureau', area: 'guli' }, query({}), deps)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      readLedger({ kind: 'partner', department: 'police' }, query({}), deps),
    ).rejects.toBeInstanceOf(ForbiddenError);
    // The role comes first: a bureau never learns the query's rules.
    await expect(
      readLedger({ kind: 'bureau', area: 'guli' }, query({ year: 'last' }), deps),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('defaults to the current year in Shanghai, filters by bureau and validates the query', async () => {
    const ledger = new MemoryLedgerStore();
    // 31 December 2026 17:00Z is already 1 January 2027 in Shanghai.
    const clock = new ManualClock(new Date('2026-12-31T17:00:00Z'));
    expect((await readLedger({ kind: 'brigade' }, query({}), { ledger, clock })).year).toBe(2027);
    const base = {
      year: 2026,
      kind: 'admonishment' as const,
      caseNo: '2026-000001',
      deadline: 'acknowledge' as const,
      dueAt: '2026-11-30T23:59:59+08:00',
      breachedAt: '2026-12-01T00:00:00.000Z',
      chief: 'unknown',
      officer: 'unknown',
      reason: 'deadline_breach' as const,
      reasonLabel: '办理超时',
      recordedAt: '2026-12-01T00:00:00.000Z',
    };
    await ledger.record({ ...base, entryId: 'a', caseId: 'case_a', bureau: 'bureau:guli' });
    await ledger.record({ ...base, entryId: 'b', caseId: 'case_b', bureau: 'bureau:haiyu' });
    const guli = await readLedger({ kind: 'brigade' }, query({ year: '2026', bureau: 'guli' }), {
      ledger,
      clock,
    });
    expect(guli.entries.map((e) => e.bureau)).toEqual(['bureau:guli']);
    const haiyu = await readLedger({ kind: 'brigade' }, query({ year: '2026', bureau: 'bureau:haiyu' }), {
      ledger,
      clock,
    });
    expect(haiyu.entries.map((e) => e.caseId)).toEqual(['case_b']);
    await expect(
      readLedger({ kind: 'brigade' }, query({ year: 'last' }), { ledger, clock }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      readLedger({ kind: 'brigade' }, query({ bureau: 'paris' }), { ledger, clock }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
