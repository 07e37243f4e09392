/**
 * The monthly report's figures, computed from cases and patrols (contract section 8), its status
 * over the due instant, the zero-report rule, the reminder day and the consolidation. Pure: no
 * ports, no clock but the one given.
 */
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import type { CaseEvent, CaseRecord, Deadline } from '../../shared/domain/model.js';
import {
  computeBrigadeFigures,
  computeMonthlyFigures,
  deadlineOutcome,
  isZeroReport,
  type MonthlyFigures,
  reportReminderAt,
  reportStatus,
  statedMu,
  sumFigures,
} from '../../shared/domain/monthly-report.js';
import { monthlyReportDueAt, parsePeriod } from '../../shared/domain/periods.js';
import { caseRecord } from '../support/case-record.js';
import { patrol } from '../support/memory-reports.js';

const NOVEMBER = parsePeriod('2026-11')!;
/** Shanghai wall time → UTC ISO, as the store keeps createdAt. */
const at = (shanghai: string) => new Date(`${shanghai}+08:00`).toISOString();
const deadline = (
  kind: Deadline['kind'],
  dueAt: string,
  metAt: string | null = null,
  breachedAt: string | null = null,
) => ({
  kind,
  dueAt: `${dueAt}T23:59:59+08:00`,
  metAt: metAt && at(metAt),
  breachedAt: breachedAt && at(breachedAt),
});
const event = (type: string, when: string, extra: Record<string, unknown> = {}): CaseEvent => ({
  type,
  at: at(when),
  by: 'bureau:meili',
  ...extra,
});

let serial = 0;
function meiliCase(overrides: Partial<CaseRecord>): CaseRecord {
  serial += 1;
  return caseRecord({
    caseId: `case_${String(serial).padStart(26, 'a')}`,
    area: 'meili',
    areaName: '梅李镇',
    district: 'district-3',
    bureau: 'bureau:meili',
    description: '有人违法占地',
    deadlines: [],
    events: [],
    ...overrides,
  });
}

const patrolSource = { source: 'patrol' as const, tips: [], patrolId: 'patrol_x' };
const tipOf = (source: '12336' | '12345') => ({
  tips: [
    { tipId: `tip_${'b'.repeat(26)}`, source, externalId: 'x', receivedAt: '2026-11-01T09:00:00+08:00' },
  ],
});

/** One bureau's November: patrols across the month's weeks and cases of every kind. */
function november() {
  const patrols = [
    // W45 (2-8 Nov): 2; W46: 2 and a brigade spot check; W47: 1 (short); W48: 2.
    patrol({ area: 'meili', startedAt: at('2026-11-02T09:00:00') }),
    patrol({
      area: 'meili',
      startedAt: at('2026-11-05T09:00:00'),
      findings: [{ description: '彩钢棚', violationType: 'illegal_occupation', caseId: 'case_a' }],
    }),
    patrol({ area: 'meili', startedAt: at('2026-11-09T09:00:00') }),
    patrol({ area: 'meili', startedAt: at('2026-11-15T21:00:00') }),
    patrol({ area: 'meili', kind: 'spot_check', startedAt: at('2026-11-10T09:00:00') }),
    patrol({
      area: 'meili',
      startedAt: at('2026-11-18T09:00:00'),
      findings: [{ description: '挖土', violationType: 'farmland_destruction', caseId: 'case_b' }],
    }),
    patrol({ area: 'meili', startedAt: at('2026-11-23T09:00:00') }),
    patrol({ area: 'meili', startedAt: at('2026-11-29T23:30:00') }),
    // In the month but in W49, whose Thursday is in December; and W44, October's.
    patrol({ area: 'meili', startedAt: at('2026-11-30T09:00:00') }),
    patrol({ area: 'meili', startedAt: at('2026-10-27T09:00:00') }),
  ];
  const cases = [
    // A patrol's finding, stopped on the spot (its events say so).
    meiliCase({
      ...patrolSource,
      violationType: 'illegal_occupation',
      description: '新建彩钢棚约200平方米',
      createdAt: at('2026-11-05T12:00:00'),
      events: [
        event('created', '2026-11-05T12:00:00'),
        event('inspect', '2026-11-05T12:00:00', { finding: 'violation_confirmed' }),
        event('stop', '2026-11-05T12:00:00', { result: 'stopped' }),
      ],
      deadlines: [deadline('stop', '2026-11-10', '2026-11-05T12:00:00')],
    }),
    // A patrol's finding with no events but its met stop deadline.
    meiliCase({
      ...patrolSource,
      violationType: 'farmland_destruction',
      createdAt: at('2026-11-18T12:00:00'),
      deadlines: [deadline('stop', '2026-11-23', '2026-11-18T12:00:00')],
    }),
    // A 12336 tip: confirmed, a failed stop, the town told, closed; it states eight 亩 (three of them basic farmland).
    meiliCase({
      ...tipOf('12336'),
      description: '占用耕地约八亩，其中三亩为基本农田',
      createdAt: at('2026-11-05T10:00:00'),
      events: [
        event('created', '2026-11-05T10:00:00'),
        event('inspect', '2026-11-07T10:00:00', { finding: 'violation_confirmed' }),
        event('stop', '2026-11-09T10:00:00', { result: 'failed' }),
        event('notify_town', '2026-11-12T10:00:00'),
        { ...event('callback', '2026-11-28T10:00:00', { satisfaction: 'dissatisfied' }), by: 'source:12336' },
        event('close', '2026-11-25T10:00:00', { outcome: '已拆除' }),
      ],
      deadlines: [
        deadline('acknowledge', '2026-11-06', '2026-11-05T11:00:00'),
        deadline('inspect', '2026-11-09', '2026-11-07T10:00:00'),
      ],
    }),
    // A 12345 order: late on both deadlines, urged and called back.
    meiliCase({
      ...tipOf('12345'),
      createdAt: at('2026-11-20T10:00:00'),
      events: [
        event('created', '2026-11-20T10:00:00'),
        { ...event('urged', '2026-11-22T10:00:00'), by: 'source:12345' },
        { ...event('callback', '2026-11-25T10:00:00', { satisfaction: 'satisfied' }), by: 'source:12345' },
      ],
      deadlines: [
        deadline('acknowledge', '2026-11-23', null, '2026-11-24T00:00:00'),
        deadline('inspect', '2026-11-24'),
      ],
    }),
    // Opened in October: confirmed and closed in November, so it counts there, though not as new.
    meiliCase({
      ...tipOf('12336'),
      createdAt: at('2026-10-20T10:00:00'),
      events: [
        event('inspect', '2026-11-02T10:00:00', { finding: 'violation_confirmed' }),
        event('close', '2026-11-10T10:00:00', { outcome: '已整改' }),
      ],
      deadlines: [deadline('close', '2026-11-20', '2026-11-10T10:00:00')],
    }),
    // Closed before its inspection fell due: that deadline no longer applied.
    meiliCase({
      ...tipOf('12345'),
      createdAt: at('2026-10-30T10:00:00'),
      events: [event('close', '2026-11-02T10:00:00', { outcome: '撤单' })],
      deadlines: [deadline('inspect', '2026-11-04'), deadline('close', '2026-11-20', '2026-11-02T10:00:00')],
    }),
    // Opened at 00:30 on 1 December, Shanghai time: December's.
    meiliCase({
      ...tipOf('12336'),
      createdAt: at('2026-12-01T00:30:00'),
      deadlines: [deadline('acknowledge', '2026-12-02')],
    }),
  ];
  return { patrols, cases };
}

const NOW = new Date('2026-12-02T10:00:00+08:00');

describe('computeMonthlyFigures', () => {
  const { patrols, cases } = november();
  const figures = computeMonthlyFigures({ period: NOVEMBER, cases, patrols, now: NOW, bureauWeekly: 2 });

  it('counts the patrols of the month and the weeks whose Thursday is in it', () => {
    expect(figures.patrols).toEqual({
      total: 9,
      byKind: { bureau: 8, spot_check: 1 },
      weeksMet: 3,
      weeks: 4,
      withFindings: 2,
    });
  });

  it('counts new cases by source (patrol findings included) and violation type, and the 亩 they state', () => {
    expect(figures.cases).toMatchObject({
      new: 4,
      bySource: { patrol: 2, '12336': 1, '12345': 1, 'city-management': 0 },
      byViolationType: { illegal_occupation: 1, farmland_destruction: 3 },
      // 200 平方米 is 0.3 亩; "约八亩，其中三亩" is 8, not 11.
      areaMu: 8.3,
    });
  });

  it('counts what happened in the month, whenever the case was opened; a patrol finding is confirmed when opened', () => {
    expect(figures.cases).toMatchObject({
      violationsConfirmed: 4,
      violationsConfirmedByPatrol: 2,
      stopped: 2,
      townNotified: 1,
      closed: 3,
    });
    expect(figures.patrolDiscoveryRate).toBe(0.5);
  });

  it('counts the deadlines that fell due in the month: met on time, or breached, late or passed unmet', () => {
    expect(figures.deadlines).toEqual({ met: 6, breached: 2 });
  });

  it('counts urges and callbacks with the satisfaction rate', () => {
    expect(figures.hotline).toEqual({
      urges: 1,
      callbacks: 2,
      satisfied: 1,
      basicallySatisfied: 0,
      dissatisfied: 1,
      satisfactionRate: 0.5,
    });
  });

  it('says zero report for a month with no new case, and null rates when nothing was confirmed', () => {
    const empty = computeMonthlyFigures({
      period: parsePeriod('2026-09')!,
      cases,
      patrols,
      now: NOW,
      bureauWeekly: 2,
    });
    expect(empty.cases.new).toBe(0);
    expect(isZeroReport(empty)).toBe(true);
    expect(isZeroReport(figures)).toBe(false);
    expect(empty.patrolDiscoveryRate).toBeNull();
    expect(empty.hotline.satisfactionRate).toBeNull();
    expect(empty.cases.bySource).toEqual({ patrol: 0, '12336': 0, '12345': 0, 'city-management': 0 });
  });

  it('leaves a deadline not yet due out, and counts one passed unmet as breached', () => {
    const record = meiliCase({ deadlines: [deadline('inspect', '2026-11-24')] });
    expect(
      deadlineOutcome(record, record.deadlines[0]!, new Date('2026-11-24T12:00:00+08:00')),
    ).toBeUndefined();
    expect(deadlineOutcome(record, record.deadlines[0]!, new Date('2026-11-25T00:00:00+08:00'))).toBe(
      'breached',
    );
    const late = meiliCase({ deadlines: [deadline('inspect', '2026-11-24', '2026-11-25T09:00:00')] });
    expect(deadlineOutcome(late, late.deadlines[0]!, NOW)).toBe('breached');
  });

  it('takes the largest area a text states', () => {
    expect(statedMu({ description: '占地约八亩，其中三亩为基本农田' })).toBe(8);
    expect(statedMu({ title: '违建', description: '没有面积' })).toBe(0);
    expect(statedMu({ description: '约2公顷' })).toBe(30);
  });
});

describe('reportStatus', () => {
  const dueAt = monthlyReportDueAt(NOVEMBER);
  const status = (now: string, submittedAt?: string, decidable = true) =>
    reportStatus({ month: NOVEMBER, dueAt, submittedAt, now: new Date(now), decidable });

  it('is due at 23:59:59 of the 25th of the next month (the day configurable, clamped to the month)', () => {
    expect(dueAt).toBe('2026-12-25T23:59:59+08:00');
    expect(monthlyReportDueAt(parsePeriod('2027-01')!, 31)).toBe('2027-02-28T23:59:59+08:00');
  });

  it('is open until the month is over, then a draft until due, then overdue', () => {
    expect(status('2026-11-30T23:59:59+08:00')).toBe('open');
    expect(status('2026-12-01T00:00:00+08:00')).toBe('draft');
    expect(status('2026-12-25T23:59:59+08:00')).toBe('draft');
    expect(status('2026-12-26T00:00:00+08:00')).toBe('overdue');
  });

  it('is never overdue for a month that began before REPORTING_START', () => {
    expect(status('2027-03-01T00:00:00+08:00', undefined, false)).toBe('draft');
  });

  it('is submitted when submitted by the due instant, late after it', () => {
    expect(status('2027-01-01T00:00:00+08:00', '2026-12-25T15:59:59.000Z')).toBe('submitted');
    expect(status('2027-01-01T00:00:00+08:00', '2026-12-25T16:00:00.000Z')).toBe('late');
  });
});

describe('reportReminderAt', () => {
  const calendar = new WorkingCalendar();

  it('is 09:00 of the second working day before the due day', () => {
    // 25 December 2026 is a Friday.
    expect(reportReminderAt('2026-12-25T23:59:59+08:00', calendar)).toBe('2026-12-23T09:00:00+08:00');
    // 25 October 2026 is a Sunday: Friday the 23rd, Thursday the 22nd.
    expect(reportReminderAt('2026-10-25T23:59:59+08:00', calendar)).toBe('2026-10-22T09:00:00+08:00');
  });

  it('skips the Spring Festival holiday and counts its make-up Saturday', () => {
    // Due Wednesday 25 February 2026: Tuesday the 24th, then back over 春节 (15-23) to the 调休 Saturday the 14th.
    expect(reportReminderAt('2026-02-25T23:59:59+08:00', calendar)).toBe('2026-02-14T09:00:00+08:00');
  });
});

describe('the consolidated report', () => {
  const { patrols, cases } = november();
  const meili = computeMonthlyFigures({ period: NOVEMBER, cases, patrols, now: NOW, bureauWeekly: 2 });
  const empty: MonthlyFigures = computeMonthlyFigures({
    period: NOVEMBER,
    cases: [],
    patrols: [],
    now: NOW,
    bureauWeekly: 2,
  });

  it('adds the rows up and recomputes the rates from the sums', () => {
    const totals = sumFigures([meili, empty, meili]);
    expect(totals.cases.new).toBe(8);
    expect(totals.cases.bySource.patrol).toBe(4);
    expect(totals.cases.bySource['city-management']).toBe(0);
    expect(totals.patrols.weeks).toBe(12);
    expect(totals.patrols.byKind).toEqual({ bureau: 16, spot_check: 2 });
    expect(totals.cases.areaMu).toBe(16.6);
    expect(totals.patrolDiscoveryRate).toBe(0.5);
    expect(sumFigures([empty]).patrolDiscoveryRate).toBeNull();
  });

  it("counts the brigade's own patrols against its requirements, and which bureaus it supervised", () => {
    const brigade = computeBrigadeFigures({
      month: NOVEMBER,
      areas: ['meili', 'guli'],
      brigadeMonthly: 2,
      supervisionMonthly: 1,
      patrols: [
        ...patrols,
        patrol({ area: 'guli', kind: 'brigade', startedAt: at('2026-11-03T09:00:00') }),
        patrol({ area: 'meili', kind: 'supervision', startedAt: at('2026-11-12T09:00:00') }),
        patrol({ area: 'haiyu', kind: 'supervision', startedAt: at('2026-11-12T09:00:00') }),
      ],
    });
    expect(brigade).toEqual({
      total: 3,
      byKind: { brigade: 1, spot_check: 1, supervision: 1 },
      withFindings: 0,
      patrols: { required: 2, done: 2, met: true },
      supervision: { required: 1, supervised: ['meili'], notSupervised: ['guli'] },
    });
  });
});
