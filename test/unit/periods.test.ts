import { describe, expect, it } from 'vitest';
import { AREAS } from '../../shared/config/jurisdiction/areas.js';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { AREA_NAMES, periodLabel, principalName } from '../../shared/domain/labels.js';
import { AREA_DISTRICT, AREA_IDS } from '../../shared/domain/model.js';
import {
  graceEndsAt,
  isoWeekOf,
  lastWorkingDay,
  monthlyReportDueAt,
  monthsOf,
  nextPeriod,
  parsePeriod,
  periodContaining,
  periodIncludes,
  previousPeriod,
  weeksOf,
} from '../../shared/domain/periods.js';

const calendar = new WorkingCalendar();

describe('ISO weeks in Asia/Shanghai', () => {
  it('gives 2026-W49 from Monday 30 November to Sunday 6 December', () => {
    expect(parsePeriod('2026-W49')).toMatchObject({
      firstDay: '2026-11-30',
      lastDay: '2026-12-06',
      startsAt: '2026-11-30T00:00:00+08:00',
      endsAt: '2026-12-07T00:00:00+08:00',
    });
  });

  it('gives the days around New Year to the year of their Thursday', () => {
    expect(isoWeekOf('2026-12-31')).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf('2027-01-03')).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf('2027-01-04')).toEqual({ year: 2027, week: 1 });
    expect(isoWeekOf('2024-12-30')).toEqual({ year: 2025, week: 1 });
    expect(parsePeriod('2025-W53')).toBeUndefined();
    expect(parsePeriod('2026-W53')?.lastDay).toBe('2027-01-03');
  });

  it('reads an instant in Shanghai time: Sunday 16:30 UTC is already Monday there', () => {
    expect(periodContaining('week', '2026-11-29T16:30:00Z').id).toBe('2026-W49');
    expect(periodContaining('week', '2026-11-29T15:59:59Z').id).toBe('2026-W48');
  });

  it('steps across years', () => {
    expect(nextPeriod(parsePeriod('2026-W53')!).id).toBe('2027-W01');
    expect(previousPeriod(parsePeriod('2027-W01')!).id).toBe('2026-W53');
    expect(nextPeriod(parsePeriod('2026-12')!).id).toBe('2027-01');
    expect(nextPeriod(parsePeriod('2026-Q4')!).id).toBe('2027-Q1');
  });
});

describe('months and quarters', () => {
  it('spans a quarter and lists its months', () => {
    const q4 = parsePeriod('2026-Q4')!;
    expect([q4.firstDay, q4.lastDay]).toEqual(['2026-10-01', '2026-12-31']);
    expect(monthsOf(q4).map((m) => m.id)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(parsePeriod('2028-02')?.lastDay).toBe('2028-02-29');
  });

  it('gives each ISO week to the month of its Thursday', () => {
    expect(weeksOf(parsePeriod('2026-11')!).map((w) => w.id)).toEqual([
      '2026-W45',
      '2026-W46',
      '2026-W47',
      '2026-W48',
    ]);
    // 2026-12-31 is a Thursday: W53 belongs to December, not January.
    expect(weeksOf(parsePeriod('2026-12')!).at(-1)?.id).toBe('2026-W53');
    expect(weeksOf(parsePeriod('2027-01')!)[0]?.id).toBe('2027-W01');
  });

  it('rejects what is not a period', () => {
    for (const bad of ['2026-13', '2026-Q5', '2026-W00', '26-11', '2026-11-01', '']) {
      expect(parsePeriod(bad)).toBeUndefined();
    }
  });

  it('includes its start and excludes its end', () => {
    const month = parsePeriod('2026-11')!;
    expect(periodIncludes(month, '2026-11-01T00:00:00+08:00')).toBe(true);
    expect(periodIncludes(month, '2026-11-30T23:59:59+08:00')).toBe(true);
    expect(periodIncludes(month, '2026-12-01T00:00:00+08:00')).toBe(false);
  });
});

describe('working days around periods', () => {
  it('finds the last working day before 国庆 and a 调休 Saturday', () => {
    // 2026: 10-01..10-07 off, Saturday 10-10 (and Sunday 09-20) worked in exchange.
    expect(lastWorkingDay(parsePeriod('2026-W40')!, calendar)).toBe('2026-09-30');
    expect(lastWorkingDay(parsePeriod('2026-W41')!, calendar)).toBe('2026-10-10');
  });

  it('ends the grace on the second working day after the period, skipping holidays', () => {
    // September 2026 ends on a Wednesday before the National Day holiday; 10-08 and 10-09 work.
    expect(graceEndsAt(parsePeriod('2026-09')!, calendar)).toBe('2026-10-09T23:59:59+08:00');
    expect(graceEndsAt(parsePeriod('2026-W49')!, calendar)).toBe('2026-12-08T23:59:59+08:00');
  });

  it('makes a monthly report due on the 25th of the next month', () => {
    expect(monthlyReportDueAt(parsePeriod('2026-11')!)).toBe('2026-12-25T23:59:59+08:00');
    expect(monthlyReportDueAt(parsePeriod('2026-12')!)).toBe('2027-01-25T23:59:59+08:00');
    expect(monthlyReportDueAt(parsePeriod('2027-01')!, 31)).toBe('2027-02-28T23:59:59+08:00');
  });
});

it('puts every area in the district the gazetteer says', () => {
  for (const area of AREA_IDS) {
    expect(AREA_DISTRICT[area]).toBe(AREAS.find((a) => a.id === area)?.district);
  }
});

it('names every area as the gazetteer does', () => {
  for (const area of AREA_IDS) expect(AREA_NAMES[area]).toBe(AREAS.find((a) => a.id === area)?.name);
  expect(principalName('bureau:meili')).toBe('梅李镇国土分局');
  expect(principalName('leader:district-3')).toBe('第三片区责任领导');
  expect(periodLabel({ kind: 'quarter', id: '2026-Q4' })).toBe('2026年第四季度');
  expect(periodLabel({ kind: 'week', id: '2026-W09' })).toBe('2026年第9周');
});
