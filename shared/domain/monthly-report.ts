/**
 * The bureaus' monthly report (月报、零报告, contract section 8), computed from the data, never typed
 * in: patrols, cases, deadlines and the patrol discovery rate of one area and one calendar month,
 * its status over the due instant, and the brigade's consolidation of the bureaus' rows. Pure:
 * callers read the cases and patrols (docs/reports.md says which) and pass them in.
 *
 * What counts where (docs/reports.md has the same list for readers):
 * - patrols: those of the area whose `startedAt` falls in the month; a week of `weeksOf(month)` (the
 *   ISO weeks whose Thursday is in the month) is met when the bureau had at least `bureauWeekly`
 *   `bureau` patrols starting in it.
 * - cases.new, bySource, byViolationType, areaMu: cases of the area opened (`createdAt`) in the month.
 *   areaMu sums, per case, the largest land area its text states (severity.ts `statedAreas`, lower
 *   bounds in 亩), so "占地八亩，其中三亩基本农田" counts 8, not 11; a case stating none adds 0.
 * - violationsConfirmed, stopped, townNotified, closed: cases of the area whose first confirming
 *   inspection, first successful stop, first notice to the town, first close happened in the month,
 *   whenever the case was opened (a patrol's finding is confirmed when it is opened; a deadline met
 *   without its event, as a patrol's `stopped: true` may do, counts at its `metAt`).
 * - deadlines: those of the area's cases that fell due in the month: met when met by their due
 *   instant, breached when breached, met late, or passed unmet while the case was open; those not yet
 *   due, or made moot by the case closing before them, are in neither.
 * - patrolDiscoveryRate: confirmed violations found by patrols ÷ all confirmed violations, null
 *   when no violation was confirmed in the month.
 */
import { shanghaiDate, type WorkingCalendar } from './calendar.js';
import {
  type AreaId,
  type CaseEvent,
  type CaseRecord,
  caseSource,
  type Deadline,
  type DeadlineKind,
  SOURCES,
  type Source,
  type ViolationType,
} from './model.js';
import { PATROL_KINDS, type PatrolKind, type PatrolRecord } from './patrol.js';
import { addCalendarDays, type Period, periodIncludes, weeksOf } from './periods.js';
import { statedAreas, tipText } from './severity.js';

export const REPORT_STATUSES = ['open', 'draft', 'submitted', 'overdue', 'late'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_SOURCES = ['patrol', ...SOURCES] as const;
export type ReportSource = Source | 'patrol';

export interface PatrolFigures {
  total: number;
  /** Kinds with at least one patrol. */
  byKind: Partial<Record<PatrolKind, number>>;
  weeksMet: number;
  weeks: number;
  withFindings: number;
}

export interface CaseFigures {
  new: number;
  /** Every source, zeros included. */
  bySource: Record<ReportSource, number>;
  /** Types with at least one new case. */
  byViolationType: Partial<Record<ViolationType, number>>;
  violationsConfirmed: number;
  /** Of violationsConfirmed: those found by patrols (the discovery rate's numerator). */
  violationsConfirmedByPatrol: number;
  stopped: number;
  townNotified: number;
  closed: number;
  areaMu: number;
}

export interface DeadlineFigures {
  met: number;
  breached: number;
}

/** What the hotlines said back (contract section 9): urges and callbacks recorded in the month. */
export interface HotlineFigures {
  urges: number;
  callbacks: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  /** (satisfied + basically satisfied) ÷ callbacks; null without callbacks. */
  satisfactionRate: number | null;
}

export interface MonthlyFigures {
  patrols: PatrolFigures;
  cases: CaseFigures;
  deadlines: DeadlineFigures;
  patrolDiscoveryRate: number | null;
  hotline: HotlineFigures;
}

export interface MonthlyFiguresInput {
  /** The month (any period works the same way: the assessment sums a quarter with it). */
  period: Period;
  /**
   * Cases of the area opened up to the period's end, reaching back far enough to hold the cases
   * whose events fall in the month (more is harmless: everything is filtered here).
   */
  cases: readonly CaseRecord[];
  /** Patrols of the area starting within the month or its weeks (more is harmless). */
  patrols: readonly PatrolRecord[];
  now: Date;
  /** `bureau` patrols a week needs to be met (configuration; contract section 7: 2). */
  bureauWeekly: number;
}

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
/** A ratio as reported: four decimals, null when there is nothing to divide by. */
export const ratio = (part: number, whole: number): number | null =>
  whole === 0 ? null : round(part / whole, 4);

const ms = (instant: string) => Date.parse(instant);

/** The instant of the first event of a type (and matching `accept`), or undefined. */
function firstEventAt(record: CaseRecord, type: string, accept: (event: CaseEvent) => boolean = () => true) {
  return record.events.find((event) => event.type === type && accept(event))?.at;
}

const deadlineOf = (record: CaseRecord, kind: DeadlineKind): Deadline | undefined =>
  record.deadlines.find((deadline) => deadline.kind === kind);

/** When the case's violation was confirmed: its first confirming inspection; a patrol's finding when opened. */
export function violationConfirmedAt(record: CaseRecord): string | undefined {
  return (
    firstEventAt(record, 'inspect', (event) => event.finding === 'violation_confirmed') ??
    (caseSource(record) === 'patrol' ? record.createdAt : undefined)
  );
}

const stoppedAt = (record: CaseRecord) =>
  firstEventAt(record, 'stop', (event) => event.result === 'stopped') ??
  deadlineOf(record, 'stop')?.metAt ??
  undefined;
const townNotifiedAt = (record: CaseRecord) =>
  firstEventAt(record, 'notify_town') ?? deadlineOf(record, 'notify_town')?.metAt ?? undefined;
const closedAt = (record: CaseRecord) =>
  firstEventAt(record, 'close') ?? deadlineOf(record, 'close')?.metAt ?? undefined;

/** How a deadline that fell due counts: met, breached, or not (yet) at all. */
export function deadlineOutcome(
  record: CaseRecord,
  deadline: Deadline,
  now: Date,
): 'met' | 'breached' | undefined {
  const due = ms(deadline.dueAt);
  if (deadline.metAt && ms(deadline.metAt) <= due) return 'met';
  if (deadline.breachedAt || deadline.metAt) return 'breached';
  if (due >= now.getTime()) return undefined;
  const closed = closedAt(record);
  // Closed before it fell due: the deadline no longer applied.
  if (closed && ms(closed) <= due) return undefined;
  return 'breached';
}

/** The largest land area (亩) the case's text states, 0 when none. */
export const statedMu = (record: Pick<CaseRecord, 'title' | 'description'>): number =>
  Math.max(0, ...statedAreas(tipText(record)).map((area) => area.mu));

function patrolFigures(input: MonthlyFiguresInput): PatrolFigures {
  const inMonth = input.patrols.filter((patrol) => periodIncludes(input.period, patrol.startedAt));
  const byKind: Partial<Record<PatrolKind, number>> = {};
  for (const kind of PATROL_KINDS) {
    const count = inMonth.filter((patrol) => patrol.kind === kind).length;
    if (count > 0) byKind[kind] = count;
  }
  const weeks = weeksOf(input.period);
  const weeksMet = weeks.filter(
    (week) =>
      input.patrols.filter((patrol) => patrol.kind === 'bureau' && periodIncludes(week, patrol.startedAt))
        .length >= input.bureauWeekly,
  ).length;
  return {
    total: inMonth.length,
    byKind,
    weeksMet,
    weeks: weeks.length,
    withFindings: inMonth.filter((patrol) => patrol.findings.length > 0).length,
  };
}

function caseFigures(input: MonthlyFiguresInput): CaseFigures {
  const inMonth = (instant: string | undefined) =>
    instant !== undefined && periodIncludes(input.period, instant);
  const opened = input.cases.filter((record) => inMonth(record.createdAt));
  const bySource = Object.fromEntries(REPORT_SOURCES.map((source) => [source, 0])) as Record<
    ReportSource,
    number
  >;
  const byViolationType: Partial<Record<ViolationType, number>> = {};
  for (const record of opened) {
    const source = caseSource(record);
    if (source) bySource[source] += 1;
    byViolationType[record.violationType] = (byViolationType[record.violationType] ?? 0) + 1;
  }
  const confirmed = input.cases.filter((record) => inMonth(violationConfirmedAt(record)));
  return {
    new: opened.length,
    bySource,
    byViolationType,
    violationsConfirmed: confirmed.length,
    violationsConfirmedByPatrol: confirmed.filter((record) => caseSource(record) === 'patrol').length,
    stopped: input.cases.filter((record) => inMonth(stoppedAt(record))).length,
    townNotified: input.cases.filter((record) => inMonth(townNotifiedAt(record))).length,
    closed: input.cases.filter((record) => inMonth(closedAt(record))).length,
    areaMu: round(
      opened.reduce((sum, record) => sum + statedMu(record), 0),
      2,
    ),
  };
}

function deadlineFigures(input: MonthlyFiguresInput): DeadlineFigures {
  const figures: DeadlineFigures = { met: 0, breached: 0 };
  for (const record of input.cases) {
    for (const deadline of record.deadlines) {
      if (!periodIncludes(input.period, deadline.dueAt)) continue;
      const outcome = deadlineOutcome(record, deadline, input.now);
      if (outcome) figures[outcome] += 1;
    }
  }
  return figures;
}

function hotlineFigures(input: MonthlyFiguresInput): HotlineFigures {
  const events = input.cases.flatMap((record) =>
    record.events.filter((event) => typeof event.at === 'string' && periodIncludes(input.period, event.at)),
  );
  const callbacks = events.filter((event) => event.type === 'callback');
  const said = (value: string) => callbacks.filter((event) => event.satisfaction === value).length;
  const satisfied = said('satisfied');
  const basicallySatisfied = said('basically_satisfied');
  return {
    urges: events.filter((event) => event.type === 'urged').length,
    callbacks: callbacks.length,
    satisfied,
    basicallySatisfied,
    dissatisfied: said('dissatisfied'),
    satisfactionRate: ratio(satisfied + basicallySatisfied, callbacks.length),
  };
}

/** Every figure of one area's month (see the module comment for what counts). */
export function computeMonthlyFigures(input: MonthlyFiguresInput): MonthlyFigures {
  const cases = caseFigures(input);
  return {
    patrols: patrolFigures(input),
    cases,
    deadlines: deadlineFigures(input),
    patrolDiscoveryRate: ratio(cases.violationsConfirmedByPatrol, cases.violationsConfirmed),
    hotline: hotlineFigures(input),
  };
}

/** 零报告: a month in which no case of any source (patrol findings included) was opened. */
export const isZeroReport = (figures: MonthlyFigures): boolean => figures.cases.new === 0;

/**
 * The status of a report at `now` (contract section 8). A month that began before REPORTING_START
 * is never decided, so it is never `overdue` (docs/reports.md).
 */
export function reportStatus(args: {
  month: Period;
  dueAt: string;
  submittedAt?: string | undefined;
  now: Date;
  decidable: boolean;
}): ReportStatus {
  if (args.submittedAt) return ms(args.submittedAt) <= ms(args.dueAt) ? 'submitted' : 'late';
  if (args.now.getTime() < ms(args.month.endsAt)) return 'open';
  if (args.decidable && args.now.getTime() > ms(args.dueAt)) return 'overdue';
  return 'draft';
}

/** Whether a submission at `submittedAt` (if any) was made by the due instant. */
export const submittedOnTime = (submittedAt: string | undefined, dueAt: string): boolean =>
  submittedAt !== undefined && ms(submittedAt) <= ms(dueAt);

/**
 * When a report still not submitted gets its reminder: 09:00 of the `workingDays`-th working day
 * before the due day (contract section 8: two).
 */
export function reportReminderAt(dueAt: string, calendar: WorkingCalendar, workingDays = 2): string {
  let date = shanghaiDate(dueAt);
  for (let counted = 0; counted < workingDays; ) {
    date = addCalendarDays(date, -1);
    if (calendar.isWorkingDay(date)) counted += 1;
  }
  return `${date}T09:00:00+08:00`;
}

/** `meili/2026-11`, `city/2026-11`: how notices and the ledger name a report. */
export const reportRef = (area: AreaId | 'city', month: string): string => `${area}/${month}`;

// ---------------------------------------------------------------------------------------------
// The brigade's consolidated report

/** The brigade's own patrols of the month (contract section 7's brigade requirements). */
export interface BrigadeFigures {
  total: number;
  byKind: { brigade: number; spot_check: number; supervision: number };
  withFindings: number;
  /** `brigade` or `spot_check` patrols against the monthly requirement. */
  patrols: { required: number; done: number; met: boolean };
  /** Bureaus (of the rows shown) with at least `supervisionMonthly` supervisions, and those without. */
  supervision: { required: number; supervised: AreaId[]; notSupervised: AreaId[] };
}

export function computeBrigadeFigures(args: {
  month: Period;
  /** Patrols of the areas shown starting in the month (more is harmless: filtered here). */
  patrols: readonly PatrolRecord[];
  areas: readonly AreaId[];
  brigadeMonthly: number;
  supervisionMonthly: number;
}): BrigadeFigures {
  const inMonth = args.patrols.filter(
    (patrol) => periodIncludes(args.month, patrol.startedAt) && args.areas.includes(patrol.area),
  );
  const count = (kind: PatrolKind) => inMonth.filter((patrol) => patrol.kind === kind).length;
  const own = inMonth.filter((patrol) => ['brigade', 'spot_check', 'supervision'].includes(patrol.kind));
  const done = count('brigade') + count('spot_check');
  const supervised = args.areas.filter(
    (area) =>
      inMonth.filter((patrol) => patrol.kind === 'supervision' && patrol.area === area).length >=
      args.supervisionMonthly,
  );
  return {
    total: own.length,
    byKind: { brigade: count('brigade'), spot_check: count('spot_check'), supervision: count('supervision') },
    withFindings: own.filter((patrol) => patrol.findings.length > 0).length,
    patrols: { required: args.brigadeMonthly, done, met: done >= args.brigadeMonthly },
    supervision: {
      required: args.supervisionMonthly,
      supervised,
      notSupervised: args.areas.filter((area) => !supervised.includes(area)),
    },
  };
}

const sumRecord = <K extends string>(
  records: readonly Partial<Record<K, number>>[],
): Partial<Record<K, number>> => {
  const total: Partial<Record<K, number>> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record) as [K, number][])
      total[key] = (total[key] ?? 0) + value;
  }
  return total;
};

/** The rows' figures added up; the rates recomputed from the sums. */
export function sumFigures(rows: readonly MonthlyFigures[]): MonthlyFigures {
  const sum = (pick: (figures: MonthlyFigures) => number) =>
    rows.reduce((total, row) => total + pick(row), 0);
  const cases: CaseFigures = {
    new: sum((f) => f.cases.new),
    bySource: {
      ...(Object.fromEntries(REPORT_SOURCES.map((source) => [source, 0])) as Record<ReportSource, number>),
      ...sumRecord(rows.map((f) => f.cases.bySource)),
    },
    byViolationType: sumRecord(rows.map((f) => f.cases.byViolationType)),
    violationsConfirmed: sum((f) => f.cases.violationsConfirmed),
    violationsConfirmedByPatrol: sum((f) => f.cases.violationsConfirmedByPatrol),
    stopped: sum((f) => f.cases.stopped),
    townNotified: sum((f) => f.cases.townNotified),
    closed: sum((f) => f.cases.closed),
    areaMu: round(
      sum((f) => f.cases.areaMu),
      2,
    ),
  };
  const satisfied = sum((f) => f.hotline.satisfied);
  const basicallySatisfied = sum((f) => f.hotline.basicallySatisfied);
  const callbacks = sum((f) => f.hotline.callbacks);
  return {
    patrols: {
      total: sum((f) => f.patrols.total),
      byKind: sumRecord(rows.map((f) => f.patrols.byKind)),
      weeksMet: sum((f) => f.patrols.weeksMet),
      weeks: sum((f) => f.patrols.weeks),
      withFindings: sum((f) => f.patrols.withFindings),
    },
    cases,
    deadlines: { met: sum((f) => f.deadlines.met), breached: sum((f) => f.deadlines.breached) },
    patrolDiscoveryRate: ratio(cases.violationsConfirmedByPatrol, cases.violationsConfirmed),
    hotline: {
      urges: sum((f) => f.hotline.urges),
      callbacks,
      satisfied,
      basicallySatisfied,
      dissatisfied: sum((f) => f.hotline.dissatisfied),
      satisfactionRate: ratio(satisfied + basicallySatisfied, callbacks),
    },
  };
}
