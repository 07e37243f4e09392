/**
 * Loading the official holiday schedule without a deploy: the file's validation, the command's
 * report, the recount of open provisional deadlines, and the functions' cached refresh.
 */
import { describe, expect, it } from 'vitest';
import { loadCalendarSchedule, parseScheduleFile, UsageError } from '../../infra/ops/calendar-load.js';
import {
  CalendarRefresher,
  type CalendarScheduleStore,
  type StoredSchedule,
} from '../../shared/adapters/dynamo-calendar-store.js';
import {
  type CalendarOverride,
  calendarOverrideSchema,
  statutoryHolidays,
  WorkingCalendar,
} from '../../shared/domain/calendar.js';
import { initialDeadlines } from '../../shared/domain/deadlines.js';
import { caseRecord } from '../support/case-record.js';
import { ManualClock, MemoryCaseStore } from '../support/memory-ports.js';

// A stand-in for the 2027 schedule: the statutory days, plus Monday 4 January off and Saturday 9 January worked.
const schedule2027: CalendarOverride = {
  year: 2027,
  holidays: [...new Set([...statutoryHolidays(2027), '2027-01-02', '2027-01-03', '2027-01-04'])].sort(),
  workdays: ['2027-01-09'],
};

class MemoryScheduleStore implements CalendarScheduleStore {
  schedules: StoredSchedule[] = [];
  loads = 0;
  async load() {
    this.loads++;
    return structuredClone(this.schedules);
  }
  async save(schedule: CalendarOverride, loadedAt: string) {
    const previous = this.schedules.find((each) => each.year === schedule.year);
    this.schedules = [
      ...this.schedules.filter((each) => each.year !== schedule.year),
      { ...schedule, loadedAt },
    ];
    return previous;
  }
}

describe('the schedule file', () => {
  it('accepts a well-formed schedule', () => {
    expect(parseScheduleFile(JSON.stringify(schedule2027))).toEqual(schedule2027);
  });

  it('names every problem: other years, impossible dates, duplicates, make-up days on weekdays, extra fields', () => {
    const result = calendarOverrideSchema.safeParse({
      year: 2027,
      holidays: ['2026-12-31', '2027-02-30', '2027-01-01', '2027-01-01'],
      workdays: ['2027-01-06'],
      comment: 'x',
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['holidays.0', 'holidays.1', 'holidays.3', 'workdays.0', '']),
    );
    expect(() => parseScheduleFile('{not json')).toThrow(UsageError);
    expect(() => parseScheduleFile('{"year": 2027}')).toThrow(/holidays/);
  });
});

describe('npm run calendar:load', () => {
  it('stores the schedule, prints the changed days and moves open provisional deadlines', async () => {
    const calendar = new WorkingCalendar();
    // Received Thursday 31 December 2026: provisional deadlines in 2027.
    const deadlines = initialDeadlines(
      { receivedAt: '2026-12-31T10:00:00+08:00', severity: 'normal' },
      calendar,
    );
    const provisional = caseRecord({
      deadlines,
      tips: [{ ...caseRecord().tips[0]!, receivedAt: '2026-12-31T10:00:00+08:00' }],
    });
    const closed = caseRecord({ caseId: 'case_bbbbbbbbbbbbbbbbbbbbbbbbbb', status: 'closed', deadlines });
    const cases = new MemoryCaseStore();
    cases.cases.set(provisional.caseId, provisional);
    cases.cases.set(closed.caseId, closed);
    const schedules = new MemoryScheduleStore();
    const lines: string[] = [];
    const result = await loadCalendarSchedule(schedule2027, {
      schedules,
      cases,
      now: () => new Date('2027-01-02T00:00:00Z'),
      out: (line) => lines.push(line),
    });

    expect(schedules.schedules).toEqual([{ ...schedule2027, loadedAt: '2027-01-02T00:00:00.000Z' }]);
    expect(result.changedDays).toEqual([
      { date: '2027-01-04', working: false },
      { date: '2027-01-09', working: true },
    ]);
    expect(result.recomputed!.moved.map((m) => `${m.deadline} ${m.from} → ${m.to}`)).toEqual([
      'acknowledge 2027-01-04T23:59:59+08:00 → 2027-01-05T23:59:59+08:00',
      'inspect 2027-01-05T23:59:59+08:00 → 2027-01-06T23:59:59+08:00',
    ]);
    // Close loses 4 January and gains 9 January: the same day, now official.
    expect(lines.join('\n')).toContain('2 moved, 1 confirmed');
    const stored = (await cases.getCase(provisional.caseId))!;
    expect(stored.deadlines.every((d) => d.provisional === false)).toBe(true);
    expect(stored.events.at(-1)).toMatchObject({ type: 'deadlines_recomputed', by: 'system' });
    // A closed case is left as it was.
    expect((await cases.getCase(closed.caseId))!.deadlines).toEqual(deadlines);

    // Loading the same schedule again moves nothing.
    const again = await loadCalendarSchedule(schedule2027, { schedules, cases, out: () => {} });
    expect(again.changedDays).toEqual([]);
    expect(again.recomputed!.moved).toEqual([]);
  });

  it('stores nothing on a dry run', async () => {
    const schedules = new MemoryScheduleStore();
    const cases = new MemoryCaseStore();
    await loadCalendarSchedule(schedule2027, { schedules, cases, out: () => {} }, { dryRun: true });
    expect(schedules.schedules).toEqual([]);
  });
});

describe('CalendarRefresher (what the router, the API and the sweeper run before each invocation)', () => {
  it('gives the long-lived calendar the loaded schedules, re-reading at most once per TTL', async () => {
    const store = new MemoryScheduleStore();
    const calendar = new WorkingCalendar();
    const clock = new ManualClock(new Date('2027-01-01T00:00:00Z'));
    const refresher = new CalendarRefresher(store, calendar, { clock, ttlMs: 60_000 });
    await refresher.refresh();
    expect(calendar.isProvisional('2027-01-04')).toBe(true);
    await store.save(schedule2027, '2027-01-01T00:00:10.000Z');
    clock.advance(30_000);
    await refresher.refresh();
    expect(store.loads).toBe(1);
    expect(calendar.isWorkingDay('2027-01-04')).toBe(true);
    clock.advance(30_000);
    await refresher.refresh();
    expect(store.loads).toBe(2);
    expect(calendar.isProvisional('2027-01-04')).toBe(false);
    expect(calendar.isWorkingDay('2027-01-04')).toBe(false);
    expect(calendar.isWorkingDay('2027-01-09')).toBe(true);
  });

  it('keeps the known schedules when the table cannot be read', async () => {
    const store = new MemoryScheduleStore();
    await store.save(schedule2027, '2027-01-01T00:00:00.000Z');
    const calendar = new WorkingCalendar();
    const clock = new ManualClock(new Date('2027-01-01T00:00:00Z'));
    const errors: unknown[] = [];
    const refresher = new CalendarRefresher(store, calendar, { clock, onError: (e) => errors.push(e) });
    await refresher.refresh();
    store.load = async () => {
      throw new Error('DynamoDB unavailable');
    };
    clock.advance(120_000);
    await refresher.refresh();
    expect(errors).toHaveLength(1);
    expect(calendar.hasOfficialSchedule(2027)).toBe(true);
  });
});
