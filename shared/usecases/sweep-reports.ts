/**
 * The sweeper's part of the monthly reports (contract section 8): a report still not submitted two
 * working days before its due instant gets one `report_reminder` to its bureau; one not submitted
 * by its due instant is decided overdue: one `report_overdue` to the brigade and one to the bureau,
 * and one `late_report` ledger entry. Exactly once however many sweeps run, concurrently or again:
 * the notices are sent under once-only keys, the ledger entry is a conditional put by its entryId,
 * and the report's item is marked (conditionally) only after both, so a sweep that fails half-way
 * is finished by the next one.
 *
 * No scan: a sweep reads the watermark (the last month whose reports are all settled), then one
 * query per month after it whose reminder instant has passed (all twelve areas of a month share a
 * partition); months that began before REPORTING_START are never decided.
 */
import type { WorkingCalendar } from '../domain/calendar.js';
import { AREA_IDS, type AreaId } from '../domain/model.js';
import { reportReminderAt, submittedOnTime } from '../domain/monthly-report.js';
import { nextPeriod, type Period, parsePeriod, periodContaining } from '../domain/periods.js';
import {
  lateReportEntry,
  type PlannedNotice,
  reportOverdueNotices,
  reportReminderNotice,
} from '../domain/report-notices.js';
import type { AssignmentQueue, Clock } from '../ports/index.js';
import type { LedgerStore } from '../ports/ledger.js';
import type { ReportStore } from '../ports/reports.js';
import { reportDueAt, submissionNotices } from './monthly-reports.js';
import { noticeMessage } from './notices.js';

export interface SweepReportsDeps {
  reports: ReportStore;
  queue: AssignmentQueue;
  ledger: LedgerStore;
  clock: Clock;
  calendar: WorkingCalendar;
  reportingStart: () => Promise<string>;
  config: { dueDay: number };
}

export interface SweepReportsOutcome {
  /** `<area>/<month>` of each report reminded, decided overdue, or whose submission notices were re-sent. */
  reminded: string[];
  overdue: string[];
  renotified: string[];
  /** Months looked at. */
  months: string[];
}

/** The first month that is ever decided: the one starting on or after the reporting start. */
function firstDecidedMonth(start: string): Period {
  const month = periodContaining('month', start);
  return month.firstDay >= start ? month : nextPeriod(month);
}

export async function sweepReports(deps: SweepReportsDeps): Promise<SweepReportsOutcome> {
  const outcome: SweepReportsOutcome = { reminded: [], overdue: [], renotified: [], months: [] };
  const now = deps.clock.now();
  const [start, watermark] = await Promise.all([deps.reportingStart(), deps.reports.sweptThrough()]);
  let month = firstDecidedMonth(start);
  const swept = watermark ? parsePeriod(watermark) : undefined;
  if (swept && swept.firstDay >= month.firstDay) month = nextPeriod(swept);
  let contiguous = true;
  for (;;) {
    const dueAt = reportDueAt(month, deps.config);
    if (now.getTime() < Date.parse(reportReminderAt(dueAt, deps.calendar))) break;
    outcome.months.push(month.id);
    const settled = await sweepMonth(month, dueAt, now, deps, outcome);
    if (settled && contiguous) await deps.reports.advanceSweptThrough(month.id);
    else contiguous = false;
    month = nextPeriod(month);
  }
  return outcome;
}

/**
 * One month's reports. True when every one is settled: the due instant has passed, so each was
 * either submitted on time or has just been (or was before) decided overdue.
 */
async function sweepMonth(
  month: Period,
  dueAt: string,
  now: Date,
  deps: SweepReportsDeps,
  outcome: SweepReportsOutcome,
): Promise<boolean> {
  const stored = new Map((await deps.reports.listMonth(month.id)).map((report) => [report.unit, report]));
  const at = now.toISOString();
  for (const report of stored.values()) {
    if (report.submittedAt === undefined || report.notifiedAt !== undefined) continue;
    // Submitted, but the function failed before handing over its notices: hand them over now.
    await send(submissionNotices(report), at, deps);
    await deps.reports.mark(report.unit, month.id, 'notifiedAt', at);
    outcome.renotified.push(`${report.unit}/${month.id}`);
  }
  const pastDue = now.getTime() > Date.parse(dueAt);
  for (const area of AREA_IDS) {
    const report = stored.get(area);
    if (submittedOnTime(report?.submittedAt, dueAt)) continue;
    const ref = `${area}/${month.id}`;
    if (!pastDue) {
      if (report?.remindedAt === undefined && report?.submittedAt === undefined) {
        await send([reportReminderNotice(area, month.id, dueAt)], at, deps);
        await deps.reports.mark(area, month.id, 'remindedAt', at);
        outcome.reminded.push(ref);
      }
    } else if (report?.overdueAt === undefined) {
      await decideOverdue(area, month, dueAt, at, deps);
      outcome.overdue.push(ref);
    }
  }
  return pastDue;
}

/** Notices first, then the ledger entry, then the mark: each step once-only, so a retry completes it. */
async function decideOverdue(
  area: AreaId,
  month: Period,
  dueAt: string,
  at: string,
  deps: SweepReportsDeps,
): Promise<void> {
  await send(reportOverdueNotices(area, month.id, dueAt), at, deps);
  await deps.ledger.record(lateReportEntry(area, month.id, dueAt, at));
  await deps.reports.mark(area, month.id, 'overdueAt', at);
}

async function send(notices: readonly PlannedNotice[], at: string, deps: SweepReportsDeps): Promise<void> {
  for (const { key, notification } of notices) await deps.queue.send(noticeMessage(key, notification, at));
}
