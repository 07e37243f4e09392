/**
 * Working days in mainland China, for deadlines counted in working days (contract section 4).
 *
 * Official schedules (holidays and make-up working days, 调休) come from an operator-loaded
 * override when one exists for the year, else from the `chinese-days` data when it holds the year
 * (compiled into ./chinese-days-data.ts, with the lunar festivals of 2000–2100).
 * For any other year the statutory holidays are computed (weekends + 元旦, 春节, 清明, 劳动节, 端午,
 * 中秋, 国庆) and every result touching that year is marked provisional.
 *
 * Asia/Shanghai is UTC+8 all year (no DST since 1991), so all arithmetic is done on a fixed +08:00
 * offset, never in the machine's zone.
 */
import { z } from 'zod';
import { FESTIVALS, OFFICIAL_SCHEDULES } from './chinese-days-data.js';

/** An official schedule for one year, as published by the State Council. Dates are YYYY-MM-DD. */
export interface CalendarOverride {
  year: number;
  holidays: string[];
  /** Make-up working days (调休) that fall on a weekend. */
  workdays: string[];
}

export interface WorkingCalendarOptions {
  overrides?: CalendarOverride[];
  /**
   * Years the `chinese-days` data is trusted for. Default: every year it lists at least one
   * official holiday in.
   */
  libraryYears?: number[];
}

export interface WorkingDayResult {
  /** 23:59:59 of the n-th working day after the day of receipt, ISO 8601 with +08:00. */
  dueAt: string;
  /** The Shanghai calendar date of `dueAt`. */
  dueDate: string;
  /** True when a year without an official schedule was involved. */
  provisional: boolean;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The wall-clock fields of an instant in Asia/Shanghai. */
function shanghaiParts(ms: number): Date {
  return new Date(ms + SHANGHAI_OFFSET_MS);
}

/** YYYY-MM-DD of the instant in Asia/Shanghai. */
export function shanghaiDate(instant: string | Date): string {
  const ms = typeof instant === 'string' ? parseInstant(instant) : instant.getTime();
  return shanghaiParts(ms).toISOString().slice(0, 10);
}

/** The calendar year of the instant in Asia/Shanghai. */
export function shanghaiYear(instant: string | Date): number {
  return Number(shanghaiDate(instant).slice(0, 4));
}

/** The instant as ISO 8601 in Asia/Shanghai wall-clock time with a +08:00 offset (seconds precision). */
export function formatShanghai(instant: string | Date | number): string {
  const ms =
    typeof instant === 'number'
      ? instant
      : typeof instant === 'string'
        ? parseInstant(instant)
        : instant.getTime();
  return `${shanghaiParts(ms).toISOString().slice(0, 19)}+08:00`;
}

/** `instant` plus `hours`, as ISO 8601 with +08:00. */
export function addHours(instant: string, hours: number): string {
  return formatShanghai(parseInstant(instant) + hours * 3600_000);
}

export function parseInstant(instant: string): number {
  // An instant without an offset is ambiguous; the sources always send one, so refuse rather than guess.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(instant)) throw new Error('instant must carry a UTC offset');
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new Error('instant is not a valid ISO 8601 date-time');
  return ms;
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new Error('date must be YYYY-MM-DD');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw new Error('date does not exist');
  return { year, month, day };
}

function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

function weekday(date: string): number {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

const isWeekend = (date: string) => {
  const day = weekday(date);
  return day === 0 || day === 6;
};

/** `0101 0122` of `year` → `${year}-01-01`, `${year}-01-22`. */
const datesOf = (year: number, monthDays: string): string[] =>
  monthDays ? monthDays.split(' ').map((md) => `${year}-${md.slice(0, 2)}-${md.slice(2)}`) : [];

/**
 * The statutory public holidays of a year (全国年节及纪念日放假办法, as amended 2024, in force 2025):
 * 元旦 1 day, 春节 4 days (除夕 and 初一 to 初三), 清明 1, 劳动节 2 (1-2 May), 端午 1, 中秋 1,
 * 国庆 3 (1-3 October). Without the official schedule the bridging days and 调休 are unknown.
 */
export function statutoryHolidays(year: number): string[] {
  const festivals = FESTIVALS[year];
  if (!festivals) throw new Error(`no lunar calendar data for ${year}`);
  const [springFestival, qingming, dragonBoat, midAutumn] = datesOf(year, festivals) as [
    string,
    string,
    string,
    string,
  ];
  const days = [
    `${year}-01-01`,
    addDays(springFestival, -1),
    springFestival,
    addDays(springFestival, 1),
    addDays(springFestival, 2),
    qingming,
    `${year}-05-01`,
    `${year}-05-02`,
    dragonBoat,
    midAutumn,
    `${year}-10-01`,
    `${year}-10-02`,
    `${year}-10-03`,
  ];
  return [...new Set(days)].sort();
}

const calendarDate = z
  .string()
  .regex(DATE_PATTERN, 'must be YYYY-MM-DD')
  .refine((date) => {
    try {
      parseDate(date);
      return true;
    } catch {
      return false;
    }
  }, 'is not a real date');

/** The official schedule file an operator loads (`npm run calendar:load -- <file.json>`). */
export const calendarOverrideSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    holidays: z.array(calendarDate).min(1).max(60),
    workdays: z.array(calendarDate).max(30),
  })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    for (const [field, dates] of [
      ['holidays', value.holidays],
      ['workdays', value.workdays],
    ] as const) {
      dates.forEach((date, index) => {
        if (!date.startsWith(`${value.year}-`))
          ctx.addIssue({ code: 'custom', path: [field, index], message: `is not in ${value.year}` });
        if (seen.has(date))
          ctx.addIssue({ code: 'custom', path: [field, index], message: 'is listed twice' });
        seen.add(date);
      });
    }
    value.workdays.forEach((date, index) => {
      if (DATE_PATTERN.test(date) && !isWeekend(date))
        ctx.addIssue({
          code: 'custom',
          path: ['workdays', index],
          message: 'a make-up working day falls on a weekend',
        });
    });
  });

type Schedule = { holidays: Set<string>; workdays: Set<string> };

/** The official schedule `chinese-days` holds for a year, or null. */
function librarySchedule(year: number): Schedule | null {
  const schedule = OFFICIAL_SCHEDULES[year];
  if (!schedule) return null;
  return { holidays: new Set(datesOf(year, schedule[0])), workdays: new Set(datesOf(year, schedule[1])) };
}

export class WorkingCalendar {
  private overrides = new Map<number, Schedule>();
  private readonly libraryYears: Set<number> | undefined;
  private readonly library = new Map<number, Schedule | null>();
  private readonly fallback = new Map<number, Set<string>>();

  constructor(options: WorkingCalendarOptions = {}) {
    this.setOverrides(options.overrides ?? []);
    this.libraryYears = options.libraryYears ? new Set(options.libraryYears) : undefined;
  }

  /**
   * Replaces the operator-loaded schedules, e.g. after a function re-read them from the table: a
   * function's one long-lived calendar follows the loaded schedules without a restart.
   */
  setOverrides(overrides: readonly CalendarOverride[]): void {
    const next = new Map<number, Schedule>();
    for (const override of overrides) {
      for (const date of [...override.holidays, ...override.workdays]) {
        if (parseDate(date).year !== override.year)
          throw new Error(`override ${override.year} lists ${date}`);
      }
      next.set(override.year, {
        holidays: new Set(override.holidays),
        workdays: new Set(override.workdays),
      });
    }
    this.overrides = next;
  }

  /** Whether the official schedule of `year` is known (override or library data). */
  hasOfficialSchedule(year: number): boolean {
    return this.officialSchedule(year) !== null;
  }

  private officialSchedule(year: number): Schedule | null {
    const override = this.overrides.get(year);
    if (override) return override;
    if (this.libraryYears && !this.libraryYears.has(year)) return null;
    if (!this.library.has(year)) this.library.set(year, librarySchedule(year));
    return this.library.get(year) ?? null;
  }

  isWorkingDay(date: string): boolean {
    const { year } = parseDate(date);
    const official = this.officialSchedule(year);
    if (official) {
      if (official.workdays.has(date)) return true;
      if (official.holidays.has(date)) return false;
      return !isWeekend(date);
    }
    let holidays = this.fallback.get(year);
    if (!holidays) {
      holidays = new Set(statutoryHolidays(year));
      this.fallback.set(year, holidays);
    }
    return !isWeekend(date) && !holidays.has(date);
  }
  /** Whether a result involving `date` is provisional (no official schedule for its year). */
  isProvisional(date: string): boolean {
    return !this.hasOfficialSchedule(parseDate(date).year);
  }

  /**
   * The deadline "n working days" after an instant: 23:59:59 Shanghai time of the n-th working day
   * after the Shanghai calendar day of receipt (n = 0: the end of the day of receipt).
   */
  addWorkingDays(receivedAt: string, n: number): WorkingDayResult {
    if (!Number.isInteger(n) || n < 0) throw new Error('n must be a non-negative integer');
    let date = shanghaiDate(receivedAt);
    let provisional = false;
    for (let counted = 0; counted < n; ) {
      date = addDays(date, 1);
      provisional ||= this.isProvisional(date);
      if (this.isWorkingDay(date)) counted++;
    }
    return { dueAt: `${date}T23:59:59+08:00`, dueDate: date, provisional };
  }
}
