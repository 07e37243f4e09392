/**
 * Patrol frequency (contract section 7), pure: the rows of a week, a month and a quarter, met as
 * soon as done ≥ required, open or short by the decision; the grace over holidays and 调休; the
 * reporting start; who sees which rows; and what the decisions say.
 */
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { AREA_IDS, type AreaId, type Principal } from '../../shared/domain/model.js';
import {
  DEFAULT_PATROL_REQUIREMENTS,
  type PatrolKind,
  type PatrolRecord,
} from '../../shared/domain/patrol.js';
import {
  type CompliancePeriodKind,
  complianceRows,
  decidesAt,
  firstDecidablePeriod,
  isDecided,
  rowsVisibleTo,
  unitOutcomes,
} from '../../shared/domain/patrol-compliance.js';
import {
  patrolReminderNotice,
  patrolShortfallLedgerEntry,
  patrolShortfallNotices,
} from '../../shared/domain/patrol-notices.js';
import { type Period, parsePeriod } from '../../shared/domain/periods.js';

const calendar = new WorkingCalendar();
const requirements = DEFAULT_PATROL_REQUIREMENTS;
const period = (id: string) => parsePeriod(id) as Period & { kind: CompliancePeriodKind };

let serial = 0;
function patrol(kind: PatrolKind, area: AreaId, startedAt: string): PatrolRecord {
  serial += 1;
  return {
    patrolId: `pat_${String(serial).padStart(26, 'a')}`,
    patrolNo: `XC-${area}-x-${serial}`,
    kind,
    area,
    district: 'district-3',
    startedAt,
    endedAt: new Date(Date.parse(startedAt) + 3600_000).toISOString(),
    officers: ['王五'],
    places: [],
    focus: [],
    findings: [],
    recordedBy: 'x',
    recordedAt: startedAt,
  };
}

const row = (rows: ReturnType<typeof complianceRows>, unit: string, area?: string) =>
  rows.find((each) => each.unit === unit && (area === undefined || each.area === area))!;

describe('a week: the bureaus', () => {
  const week = period('2026-W49'); // Monday 30 November – Sunday 6 December 2026
  const patrols = [
    patrol('bureau', 'meili', '2026-11-30T09:00:00+08:00'),
    patrol('bureau', 'meili', '2026-12-02T14:00:00+08:00'),
    patrol('bureau', 'guli', '2026-12-06T23:59:00+08:00'),
    // Not this week's: Sunday before, Monday after (Shanghai time), another kind.
    patrol('bureau', 'guli', '2026-11-29T23:59:59+08:00'),
    patrol('bureau', 'guli', '2026-12-06T16:00:00Z'),
    patrol('spot_check', 'guli', '2026-12-01T09:00:00+08:00'),
  ];

  it('lists every bureau once, counting its own bureau patrols by startedAt in Shanghai time', () => {
    const rows = complianceRows(week, patrols, requirements, false);
    expect(rows.map((each) => each.unit)).toEqual(AREA_IDS.map((area) => `bureau:${area}`));
    expect(row(rows, 'bureau:meili')).toEqual({
      unit: 'bureau:meili',
      unitName: '梅李镇国土分局',
      requirement: 'bureau_weekly',
      requirementLabel: '分局每周巡查',
      area: 'meili',
      required: 2,
      done: 2,
      status: 'met',
    });
    expect(row(rows, 'bureau:guli')).toMatchObject({ done: 1, status: 'open' });
    expect(row(rows, 'bureau:haiyu')).toMatchObject({ done: 0, status: 'open' });
  });

  it('is met as soon as done reaches required, short only once decided', () => {
    expect(row(complianceRows(week, patrols.slice(0, 1), requirements, false), 'bureau:meili').status).toBe(
      'open',
    );
    expect(row(complianceRows(week, patrols.slice(0, 2), requirements, false), 'bureau:meili').status).toBe(
      'met',
    );
    const decided = complianceRows(week, patrols, requirements, true);
    expect(row(decided, 'bureau:meili').status).toBe('met');
    expect(row(decided, 'bureau:guli').status).toBe('short');
  });

  it('follows configured requirements', () => {
    const rows = complianceRows(week, patrols, { ...requirements, bureauWeekly: 1 }, true);
    expect(row(rows, 'bureau:guli')).toMatchObject({ required: 1, status: 'met' });
  });

  it('counts ISO weeks across the turn of the year', () => {
    const w53 = period('2026-W53'); // 28 December 2026 – 3 January 2027
    const rows = complianceRows(
      w53,
      [
        patrol('bureau', 'meili', '2026-12-28T09:00:00+08:00'),
        patrol('bureau', 'meili', '2027-01-03T09:00:00+08:00'),
      ],
      requirements,
      false,
    );
    expect(row(rows, 'bureau:meili')).toMatchObject({ done: 2, status: 'met' });
    expect(period('2027-W01').firstDay).toBe('2027-01-04');
  });
});

describe('a month: the brigade', () => {
  const month = period('2026-12');
  const patrols = [
    patrol('brigade', 'guli', '2026-12-01T09:00:00+08:00'),
    patrol('spot_check', 'haiyu', '2026-12-15T09:00:00+08:00'),
    patrol('supervision', 'meili', '2026-12-20T09:00:00+08:00'),
    patrol('supervision', 'meili', '2026-12-21T09:00:00+08:00'),
    patrol('bureau', 'guli', '2026-12-02T09:00:00+08:00'),
  ];

  it('has the brigade row and one supervision row per bureau checked', () => {
    const rows = complianceRows(month, patrols, requirements, true);
    expect(rows).toHaveLength(1 + AREA_IDS.length);
    expect(rows[0]).toMatchObject({
      unit: 'brigade',
      requirement: 'brigade_monthly',
      area: null,
      done: 2,
      status: 'met',
    });
    expect(row(rows, 'brigade', 'meili')).toMatchObject({
      requirement: 'supervision_monthly',
      done: 2,
      status: 'met',
    });
    expect(row(rows, 'brigade', 'guli')).toMatchObject({
      requirement: 'supervision_monthly',
      done: 0,
      status: 'short',
    });
    const [brigade] = unitOutcomes(rows);
    expect(brigade).toMatchObject({ unit: 'brigade', status: 'short' });
  });
});

describe('a quarter: the district leaders', () => {
  it('counts leader patrols in any area of the district', () => {
    const rows = complianceRows(
      period('2026-Q4'),
      [
        patrol('leader', 'meili', '2026-10-20T09:00:00+08:00'),
        patrol('leader', 'dongbang', '2026-12-31T09:00:00+08:00'),
      ],
      requirements,
      true,
    );
    expect(rows.map((each) => each.unit)).toEqual([1, 2, 3, 4, 5].map((n) => `leader:district-${n}`));
    expect(row(rows, 'leader:district-3')).toMatchObject({
      district: 'district-3',
      area: null,
      done: 2,
      status: 'met',
    });
    expect(row(rows, 'leader:district-1')).toMatchObject({
      done: 0,
      status: 'short',
      unitName: '第一片区责任领导',
    });
  });
});

describe('when a period is decided', () => {
  it('at the end of its grace, the second working day after it ends', () => {
    const week = period('2026-W49');
    expect(decidesAt(week, calendar, requirements)).toBe('2026-12-08T23:59:59+08:00');
    expect(isDecided(week, new Date('2026-12-08T23:59:59+08:00'), calendar, requirements, '2026-01-01')).toBe(
      false,
    );
    expect(isDecided(week, new Date('2026-12-09T00:00:00+08:00'), calendar, requirements, '2026-01-01')).toBe(
      true,
    );
  });

  it('counts holidays out and 调休 in', () => {
    // Week 40 ends Sunday 4 October, in the National Day holiday (1-7 October): 8 and 9 October.
    expect(decidesAt(period('2026-W40'), calendar, requirements)).toBe('2026-10-09T23:59:59+08:00');
    // September ends on a Wednesday before the holiday: the same two days.
    expect(decidesAt(period('2026-09'), calendar, requirements)).toBe('2026-10-09T23:59:59+08:00');
    // Week 41 ends Sunday 11 October, after the make-up Saturday: Monday 12 and Tuesday 13.
    expect(decidesAt(period('2026-W41'), calendar, requirements)).toBe('2026-10-13T23:59:59+08:00');
    // The year's last quarter: 4 and 5 January 2027 (1 January is 元旦).
    expect(decidesAt(period('2026-Q4'), calendar, requirements).slice(0, 10)).toBe('2027-01-05');
  });

  it('never, for a period that began before the reporting start', () => {
    const later = new Date('2027-06-01T00:00:00+08:00');
    expect(isDecided(period('2026-W49'), later, calendar, requirements, '2026-12-01')).toBe(false);
    expect(isDecided(period('2026-W50'), later, calendar, requirements, '2026-12-01')).toBe(true);
    expect(isDecided(period('2026-12'), later, calendar, requirements, '2026-12-01')).toBe(true);
    expect(isDecided(period('2026-Q4'), later, calendar, requirements, '2026-12-01')).toBe(false);
    expect(firstDecidablePeriod('week', '2026-12-01').id).toBe('2026-W50');
    expect(firstDecidablePeriod('week', '2026-11-30').id).toBe('2026-W49');
    expect(firstDecidablePeriod('month', '2026-12-01').id).toBe('2026-12');
    expect(firstDecidablePeriod('quarter', '2026-12-01').id).toBe('2027-Q1');
  });
});

describe('who sees which rows', () => {
  const week = complianceRows(period('2026-W49'), [], requirements, false);
  const month = complianceRows(period('2026-12'), [], requirements, false);
  const quarter = complianceRows(period('2026-Q4'), [], requirements, false);
  const units = (principal: Principal, rows: typeof week) =>
    rowsVisibleTo(principal, rows)?.map((each) => `${each.unit}${each.area ? `/${each.area}` : ''}`);

  it('the brigade every row, a bureau its own, a leader its own and its district’s', () => {
    expect(units({ kind: 'brigade' }, week)).toHaveLength(12);
    expect(units({ kind: 'bureau', area: 'meili' }, week)).toEqual(['bureau:meili/meili']);
    expect(units({ kind: 'bureau', area: 'meili' }, month)).toEqual([]);
    expect(units({ kind: 'leader', district: 'district-3' }, week)).toEqual([
      'bureau:zhitang/zhitang',
      'bureau:dongbang/dongbang',
      'bureau:meili/meili',
    ]);
    expect(units({ kind: 'leader', district: 'district-3' }, month)).toEqual([
      'brigade/zhitang',
      'brigade/dongbang',
      'brigade/meili',
    ]);
    expect(units({ kind: 'leader', district: 'district-3' }, quarter)).toEqual(['leader:district-3']);
    expect(rowsVisibleTo({ kind: 'partner', department: 'police' }, week)).toBeUndefined();
    expect(rowsVisibleTo({ kind: 'source', source: '12345' }, week)).toBeUndefined();
  });
});

describe('what a decision says', () => {
  const week = period('2026-W49');
  const rows = complianceRows(
    week,
    [patrol('bureau', 'resort', '2026-12-01T09:00:00+08:00')],
    requirements,
    true,
  );
  const outcomes = unitOutcomes(rows);
  const resort = outcomes.find((each) => each.unit === 'bureau:resort')!;
  const deciding = decidesAt(week, calendar, requirements);

  it('reminds the unit in Chinese, within 70 characters, once per unit and period', () => {
    const { key, notification } = patrolReminderNotice(
      unitOutcomes(complianceRows(week, [], requirements, false))[0]!,
      week,
      deciding,
    );
    expect(key).toBe('patrol_reminder|bureau:guli|2026-W49');
    expect(notification).toMatchObject({
      audience: 'bureau',
      target: 'bureau:guli',
      kind: 'patrol_reminder',
      unit: 'bureau:guli',
      period: '2026-W49',
    });
    expect(notification.subject).toBe('【巡查提醒】古里镇国土分局2026年第49周巡查尚未达标');
    expect(Array.from(notification.sms).length).toBeLessThanOrEqual(70);
    expect(notification.sms).toContain('已完成0次，应不少于2次');
    expect(notification.email).toContain('12月8日23:59');
  });

  it('tells the brigade and the bureau of a shortfall, and writes one admonishment', () => {
    const notices = patrolShortfallNotices(resort, week);
    expect(notices.map((each) => each.key)).toEqual([
      'patrol_shortfall|brigade|bureau:resort|2026-W49',
      'patrol_shortfall|bureau:resort|bureau:resort|2026-W49',
    ]);
    expect(notices.map((each) => [each.notification.audience, each.notification.target])).toEqual([
      ['brigade', 'brigade'],
      ['bureau', 'bureau:resort'],
    ]);
    for (const { notification } of notices) {
      expect(Array.from(notification.sms).length).toBeLessThanOrEqual(70);
      expect(notification.sms).toMatch(/^【常熟国土】虞山尚湖旅游度假区国土分局2026年第49周分局每周巡查1次/);
      expect(notification.sms + notification.email + notification.subject).not.toMatch(/bureau:|resort/);
    }
    expect(patrolShortfallLedgerEntry(resort, week, deciding, '2026-12-08T16:00:30.000Z')).toEqual({
      entryId: 'patrol#bureau:resort#2026-W49',
      year: 2026,
      bureau: 'bureau:resort',
      kind: 'admonishment',
      reason: 'patrol_shortfall',
      reasonLabel: '未落实巡查责任',
      detail: '虞山尚湖旅游度假区国土分局2026年第49周分局每周巡查：已完成1次，应不少于2次',
      unit: 'bureau:resort',
      period: '2026-W49',
      dueAt: '2026-12-08T23:59:59+08:00',
      chief: 'unknown',
      officer: 'unknown',
      recordedAt: '2026-12-08T16:00:30.000Z',
    });
  });

  it('tells a leader as audience leader, the brigade once for itself, and writes no entry for either', () => {
    const quarter = period('2026-Q4');
    const [leader] = unitOutcomes(complianceRows(quarter, [], requirements, true));
    expect(
      patrolShortfallNotices(leader!, quarter).map((each) => [
        each.notification.audience,
        each.notification.target,
      ]),
    ).toEqual([
      ['brigade', 'brigade'],
      ['leader', 'leader:district-1'],
    ]);
    expect(patrolShortfallLedgerEntry(leader!, quarter, deciding, 'x')).toBeUndefined();
    const month = period('2026-12');
    const [brigade] = unitOutcomes(complianceRows(month, [], requirements, true));
    const notices = patrolShortfallNotices(brigade!, month);
    expect(notices.map((each) => each.key)).toEqual(['patrol_shortfall|brigade|brigade|2026-12']);
    expect(notices[0]!.notification.email).toContain(
      '大队每月督查分局巡查工作（梅李镇）：已完成0次，应不少于1次',
    );
    expect(patrolShortfallLedgerEntry(brigade!, month, deciding, 'x')).toBeUndefined();
  });
});
