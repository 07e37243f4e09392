import { describe, expect, it } from 'vitest';
import { chineseDaysTables } from '../../infra/ops/chinese-days-data.js';
import {
  addHours,
  formatShanghai,
  shanghaiDate,
  statutoryHolidays,
  WorkingCalendar,
} from '../../shared/domain/calendar.js';
import { FESTIVALS, OFFICIAL_SCHEDULES } from '../../shared/domain/chinese-days-data.js';

const calendar = new WorkingCalendar();

describe('the compiled chinese-days data', () => {
  it('is what the installed package says (else run npx tsx infra/ops/chinese-days-data.ts)', () => {
    const fresh = chineseDaysTables();
    expect(OFFICIAL_SCHEDULES).toEqual(fresh.OFFICIAL_SCHEDULES);
    expect(FESTIVALS).toEqual(fresh.FESTIVALS);
  });
});

describe('WorkingCalendar.isWorkingDay (official schedule from chinese-days)', () => {
  it('knows National Day 2026 (1-7 October) and the make-up Saturday 10 October', () => {
    for (let day = 1; day <= 7; day++)
      expect(calendar.isWorkingDay(`2026-10-0${day}`), `10-0${day}`).toBe(false);
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true);
  });

  it('treats ordinary weekends as rest days and weekdays as working days', () => {
    expect(calendar.isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-11-29')).toBe(false); // Sunday
    expect(calendar.isWorkingDay('2026-11-30')).toBe(true); // Monday
  });

  it('knows the 2026 Spring Festival', () => {
    expect(calendar.isWorkingDay('2026-02-17')).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // make-up Saturday
  });

  it('detects honestly which years the library holds', () => {
    expect(calendar.hasOfficialSchedule(2026)).toBe(true);
    expect(calendar.hasOfficialSchedule(2027)).toBe(false);
  });

  it('rejects malformed dates', () => {
    expect(() => calendar.isWorkingDay('2026-13-01')).toThrow();
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow();
  });
});

describe('fallback for years without an official schedule', () => {
  it('makes 1 January 2027 a holiday, although the library calls it a working day', () => {
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false);
    expect(calendar.isProvisional('2027-01-01')).toBe(true);
    expect(calendar.isProvisional('2026-12-31')).toBe(false);
  });

  it('computes the statutory holidays of 2027, lunar ones included', () => {
    expect(statutoryHolidays(2027)).toEqual([
      '2027-01-01',
      '2027-02-05', // 除夕
      '2027-02-06', // 春节
      '2027-02-07',
      '2027-02-08',
      '2027-04-05', // 清明
      '2027-05-01',
      '2027-05-02',
      '2027-06-09', // 端午
      '2027-09-15', // 中秋
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ]);
  });

  it('agrees with the official 2026 schedule on the statutory days themselves', () => {
    for (const day of statutoryHolidays(2026)) expect(calendar.isWorkingDay(day), day).toBe(false);
  });
});

describe('operator overrides', () => {
  const withSchedule = new WorkingCalendar({
    overrides: [
      { year: 2027, holidays: ['2027-01-01', '2027-02-05', '2027-02-08'], workdays: ['2027-01-02'] },
    ],
  });

  it('use the loaded schedule for that year and stop being provisional', () => {
    expect(withSchedule.hasOfficialSchedule(2027)).toBe(true);
    expect(withSchedule.isWorkingDay('2027-01-02')).toBe(true); // a Saturday made a working day
    expect(withSchedule.isWorkingDay('2027-02-08')).toBe(false);
    expect(withSchedule.addWorkingDays('2026-12-31T10:00:00+08:00', 1)).toEqual({
      dueAt: '2027-01-02T23:59:59+08:00',
      dueDate: '2027-01-02',
      provisional: false,
    });
  });

  it('reject a date outside the override year', () => {
    expect(
      () => new WorkingCalendar({ overrides: [{ year: 2027, holidays: ['2028-01-01'], workdays: [] }] }),
    ).toThrow();
  });

  it('can restrict which library years are trusted', () => {
    const distrustful = new WorkingCalendar({ libraryYears: [] });
    expect(distrustful.hasOfficialSchedule(2026)).toBe(false);
    expect(distrustful.isWorkingDay('2026-10-10')).toBe(false); // no make-up day known: plain Saturday
  });
});

describe('WorkingCalendar.addWorkingDays', () => {
  it('ends at 23:59:59 +08:00 of the n-th working day after the day of receipt', () => {
    expect(calendar.addWorkingDays('2026-11-26T09:15:00+08:00', 1).dueAt).toBe('2026-11-27T23:59:59+08:00');
    expect(calendar.addWorkingDays('2026-11-26T09:15:00+08:00', 2).dueAt).toBe('2026-11-30T23:59:59+08:00');
  });

  it('counts from the Shanghai day: 23:30 Shanghai is 15:30Z of the same Shanghai day', () => {
    // Thursday 26 November 23:30 in Shanghai; UTC still says 15:30 on the 26th.
    expect(calendar.addWorkingDays('2026-11-26T15:30:00Z', 1).dueAt).toBe('2026-11-27T23:59:59+08:00');
    // Friday 27 November 00:30 in Shanghai is 26 November 16:30Z: the receipt day is the 27th.
    expect(calendar.addWorkingDays('2026-11-26T16:30:00Z', 1).dueAt).toBe('2026-11-30T23:59:59+08:00');
  });

  it('handles receipt on a Sunday', () => {
    expect(calendar.addWorkingDays('2026-11-29T10:00:00+08:00', 1).dueAt).toBe('2026-11-30T23:59:59+08:00');
  });

  it('skips National Day and counts the make-up Saturday', () => {
    expect(calendar.addWorkingDays('2026-09-30T10:00:00+08:00', 1).dueAt).toBe('2026-10-08T23:59:59+08:00');
    expect(calendar.addWorkingDays('2026-09-30T10:00:00+08:00', 3).dueAt).toBe('2026-10-10T23:59:59+08:00');
  });

  it('marks a deadline reaching into 2027 provisional and skips 1 January', () => {
    const result = calendar.addWorkingDays('2026-12-31T10:00:00+08:00', 1);
    expect(result).toEqual({ dueAt: '2027-01-04T23:59:59+08:00', dueDate: '2027-01-04', provisional: true });
    expect(calendar.addWorkingDays('2026-12-29T10:00:00+08:00', 2).provisional).toBe(false);
  });

  it('does not depend on the offset the source wrote', () => {
    expect(calendar.addWorkingDays('2026-11-26T01:15:00Z', 1)).toEqual(
      calendar.addWorkingDays('2026-11-26T09:15:00+08:00', 1),
    );
  });

  it('refuses instants without an offset and negative counts', () => {
    expect(() => calendar.addWorkingDays('2026-11-26T09:15:00', 1)).toThrow(/offset/);
    expect(() => calendar.addWorkingDays('2026-11-26T09:15:00+08:00', -1)).toThrow();
  });
});

describe('Shanghai time helpers', () => {
  it('format and add hours on a fixed +08:00 offset', () => {
    expect(formatShanghai('2026-11-26T15:30:00Z')).toBe('2026-11-26T23:30:00+08:00');
    expect(shanghaiDate('2026-11-26T16:30:00Z')).toBe('2026-11-27');
    expect(addHours('2026-11-26T23:30:00+08:00', 2)).toBe('2026-11-27T01:30:00+08:00');
  });
});
