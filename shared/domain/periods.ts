/**
 * Reporting periods in Asia/Shanghai (contract sections 7 and 8): ISO weeks (`2026-W49`), calendar
 * months (`2026-11`) and quarters (`2026-Q4`), their first and last days, the instants they span,
 * the last working day of a period and the end of its grace. Pure: working days come from the
 * caller's WorkingCalendar.
 */
import { shanghaiDate, type WorkingCalendar } from './calendar.js';

export type PeriodKind = 'week' | 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  /** `2026-W49`, `2026-12`, `2026-Q4`, `2026`. */
  id: string;
  /** First and last Shanghai calendar day, `YYYY-MM-DD`, both inclusive. */
  firstDay: string;
  lastDay: string;
  /** The instants the period spans: `[startsAt, endsAt)`, both with the +08:00 offset. */
  startsAt: string;
  endsAt: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date (a calendar date, no time zone involved). */
const dayNumber = (date: string): number =>
  Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY_MS;
const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export const addCalendarDays = (date: string, days: number): string => dateOfDay(dayNumber(date) + days);

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: string): number =>
  ((new Date(dayNumber(date) * DAY_MS).getUTCDay() + 6) % 7) + 1;

const startOf = (date: string) => `${date}T00:00:00+08:00`;

function make(kind: PeriodKind, id: string, firstDay: string, lastDay: string): Period {
  return {
    kind,
    id,
    firstDay,
    lastDay,
    startsAt: startOf(firstDay),
    endsAt: startOf(addCalendarDays(lastDay, 1)),
  };
}

/** The ISO week (year and number) of a Shanghai calendar date. */
export function isoWeekOf(date: string): { year: number; week: number } {
  // The week's Thursday decides its year (ISO 8601).
  const thursday = addCalendarDays(date, 4 - isoWeekday(date));
  const year = +thursday.slice(0, 4);
  const week = Math.floor((dayNumber(thursday) - dayNumber(`${year}-01-01`)) / 7) + 1;
  return { year, week };
}

/** Monday of ISO week `week` of ISO year `year`. */
function isoWeekMonday(year: number, week: number): string {
  const jan4 = `${year}-01-04`;
  const firstMonday = addCalendarDays(jan4, 1 - isoWeekday(jan4));
  return addCalendarDays(firstMonday, (week - 1) * 7);
}

const WEEK = /^(\d{4})-W(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;

function lastDayOfMonth(year: number, month: number): string {
  return dateOfDay(Date.UTC(year, month, 1) / DAY_MS - 1);
}

/** Parses a period id; undefined when it is not one (week 53 only in years that have it). */
export function parsePeriod(id: string): Period | undefined {
  let m = WEEK.exec(id);
  if (m) {
    const year = +m[1]!;
    const week = +m[2]!;
    if (week < 1 || week > 53) return undefined;
    const monday = isoWeekMonday(year, week);
    if (isoWeekOf(monday).year !== year) return undefined;
    return make('week', id, monday, addCalendarDays(monday, 6));
  }
  m = MONTH.exec(id);
  if (m) {
    const year = +m[1]!;
    const month = +m[2]!;
    if (month < 1 || month > 12) return undefined;
    return make('month', id, `${year}-${pad(month)}-01`, lastDayOfMonth(year, month));
  }
  m = QUARTER.exec(id);
  if (m) {
    const year = +m[1]!;
    const quarter = +m[2]!;
    const firstMonth = (quarter - 1) * 3 + 1;
    return make('quarter', id, `${year}-${pad(firstMonth)}-01`, lastDayOfMonth(year, firstMonth + 2));
  }
  m = YEAR.exec(id);
  if (m) return make('year', id, `${m[1]}-01-01`, `${m[1]}-12-31`);
  return undefined;
}

/** The period of a kind that contains an instant (read in Shanghai time) or a `YYYY-MM-DD` date. */
export function periodContaining(kind: PeriodKind, instantOrDate: string | Date): Period {
  const date =
    typeof instantOrDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(instantOrDate)
      ? instantOrDate
      : shanghaiDate(instantOrDate);
  const year = +date.slice(0, 4);
  const month = +date.slice(5, 7);
  let id: string;
  switch (kind) {
    case 'week': {
      const week = isoWeekOf(date);
      id = `${week.year}-W${pad(week.week)}`;
      break;
    }
    case 'month':
      id = `${year}-${pad(month)}`;
      break;
    case 'quarter':
      id = `${year}-Q${Math.ceil(month / 3)}`;
      break;
    case 'year':
      id = `${year}`;
      break;
  }
  return parsePeriod(id) as Period;
}

/** The period right after this one, of the same kind. */
export function nextPeriod(period: Period): Period {
  return periodContaining(period.kind, addCalendarDays(period.lastDay, 1));
}

/** The period right before this one, of the same kind. */
export function previousPeriod(period: Period): Period {
  return periodContaining(period.kind, addCalendarDays(period.firstDay, -1));
}

/** Whether an instant falls within the period (`startsAt` inclusive, `endsAt` exclusive). */
export function periodIncludes(period: Period, instant: string | Date): boolean {
  const t = new Date(instant).getTime();
  return t >= Date.parse(period.startsAt) && t < Date.parse(period.endsAt);
}

/**
 * The ISO weeks that belong to a month or quarter: those whose Thursday falls in it (the ISO rule
 * that gives each week to exactly one month), in order.
 */
export function weeksOf(period: Period): Period[] {
  const weeks: Period[] = [];
  let week = periodContaining('week', period.firstDay);
  // The week holding the first day belongs to the previous month when its Thursday does.
  if (addCalendarDays(week.firstDay, 3) < period.firstDay) week = nextPeriod(week);
  while (addCalendarDays(week.firstDay, 3) <= period.lastDay) {
    weeks.push(week);
    week = nextPeriod(week);
  }
  return weeks;
}

/** The months of a quarter or year, in order (a month is its own only month). */
export function monthsOf(period: Period): Period[] {
  const months: Period[] = [];
  for (
    let month = periodContaining('month', period.firstDay);
    month.firstDay <= period.lastDay;
    month = nextPeriod(month)
  ) {
    months.push(month);
  }
  return months;
}

/** The last working day within the period, or undefined when it has none (a holiday week). */
export function lastWorkingDay(period: Period, calendar: WorkingCalendar): string | undefined {
  for (let date = period.lastDay; date >= period.firstDay; date = addCalendarDays(date, -1)) {
    if (calendar.isWorkingDay(date)) return date;
  }
  return undefined;
}

/**
 * When a period is decided: 23:59:59 of the `graceWorkingDays`-th working day after it ends
 * (contract section 7: the second). Before this instant a shortfall can still be made good by
 * late-recorded patrols.
 */
export function graceEndsAt(period: Period, calendar: WorkingCalendar, graceWorkingDays = 2): string {
  return calendar.addWorkingDays(`${period.lastDay}T12:00:00+08:00`, graceWorkingDays).dueAt;
}

/** 23:59:59 of day `dueDay` of the month after `month` (contract section 8: the 25th). */
export function monthlyReportDueAt(month: Period, dueDay = 25): string {
  const next = nextPeriod(month);
  const day = Math.min(dueDay, +next.lastDay.slice(8, 10));
  return `${next.firstDay.slice(0, 8)}${pad(day)}T23:59:59+08:00`;
}
