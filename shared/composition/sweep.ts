/**
 * The sweeper's parts: the case store, ledger and assignment queues of the deadline sweep, the
 * working calendar it recounts provisional deadlines with, and what it reports of each sweep.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { sqsClient } from '../adapters/clients/sqs.js';
import { functionClock } from '../adapters/clock.js';
import { CALENDAR_CACHE_TTL_MS } from '../adapters/dynamo-calendar-store.js';
import { DynamoLedgerStore } from '../adapters/dynamo-ledger-store.js';
import { DynamoReportStore } from '../adapters/dynamo-report-store.js';
import { SqsAssignmentQueue } from '../adapters/sqs-assignment-queue.js';
import { parseEnv } from '../config/env.js';
import { countDeadlinesBreached, countSweepCaseFailures, logger } from '../observability.js';
import { type RecomputeOutcome, recomputeProvisionalDeadlines } from '../usecases/recompute-deadlines.js';
import { type SweepDeps, type SweepOutcome, sweepDeadlines } from '../usecases/sweep-deadlines.js';
import { type SweepReportsDeps, sweepReports } from '../usecases/sweep-reports.js';
import { caseWriterParts } from './case-writers.js';
import { sweepEnvironment } from './environment.js';
import { patrolSweeper } from './patrols.js';
import { reportingEnvironment, reportingStartOf } from './reporting.js';

/** Long enough for every function's cached calendar to have picked up a newly loaded schedule. */
const RECOMPUTE_WINDOW_MS = 3 * CALENDAR_CACHE_TTL_MS;

export interface SweepFunction {
  /**
   * One scheduled run: recounts open provisional deadlines shortly after an operator loaded a
   * holiday schedule (cases another function created while its cached calendar still lacked the
   * schedule), then sweeps.
   */
  sweep(): Promise<void>;
}

export function buildSweeper(env: NodeJS.ProcessEnv = process.env): SweepFunction {
  const config = parseEnv(sweepEnvironment, env);
  const { store, calendar, calendarRefresher, rules, policy } = caseWriterParts(config.TABLE_NAME, env);
  const clock = functionClock;
  const caseRules = rules();
  const deps: SweepDeps = {
    store,
    queue: new SqsAssignmentQueue(sqsClient, config.ASSIGNMENT_QUEUE_URLS),
    ledger: new DynamoLedgerStore(dynamoDocumentClient, config.TABLE_NAME),
    clock,
    policy,
    notifyTownDeadline: (from, record) =>
      caseRules.eventContext(clock.now()).notifyTownDeadline(from, record),
  };
  // Monthly reports (contract section 8): reminders, overdue decisions, late_report ledger entries.
  const reporting = parseEnv(reportingEnvironment, env);
  const reportDeps: SweepReportsDeps = {
    reports: new DynamoReportStore(dynamoDocumentClient, config.TABLE_NAME),
    queue: deps.queue,
    ledger: deps.ledger,
    clock,
    calendar,
    reportingStart: reportingStartOf(reporting, config.TABLE_NAME),
    config: { dueDay: reporting.REPORT_DUE_DAY },
  };
  const sweepPatrols = patrolSweeper(config.TABLE_NAME, env, { ...deps, calendar });
  return {
    async sweep() {
      const schedules = await calendarRefresher.refresh();
      const now = clock.now().getTime();
      if (schedules.some((schedule) => now - Date.parse(schedule.loadedAt) < RECOMPUTE_WINDOW_MS)) {
        await recountQuietly(() => recomputeProvisionalDeadlines({ store, clock, calendar, policy }));
      }
      reportSweep(await sweepDeadlines(deps));
      await sweepReportsQuietly(reportDeps);
      // Patrol periods (contract section 7): after the deadlines, and never in their way.
      await sweepPatrols();
    },
  };
}

/** The reports' part of a sweep, logged; a failure waits for the next sweep and never fails this one. */
async function sweepReportsQuietly(deps: SweepReportsDeps): Promise<void> {
  try {
    const outcome = await sweepReports(deps);
    for (const report of outcome.reminded) logger.info(`report ${report}: reminder handed to the notifier`);
    for (const report of outcome.overdue) logger.warn(`report ${report}: overdue, ledger entry late_report`);
    for (const report of outcome.renotified)
      logger.info(`report ${report}: submission notices handed over again`);
  } catch (error) {
    countSweepCaseFailures(1);
    logger.error('reports: sweep failed; the next sweep tries again', {
      error: error instanceof Error ? error : String(error),
    });
  }
}

/**
 * The recount after a schedule load, reported; never in the way of the sweep after it: whatever
 * fails in it (one case, or the whole recount) is logged and counted, and the next sweep, still in
 * the window, recounts again.
 */
async function recountQuietly(recount: () => Promise<RecomputeOutcome>): Promise<void> {
  let recomputed: RecomputeOutcome;
  try {
    recomputed = await recount();
  } catch (error) {
    countSweepCaseFailures(1);
    logger.error('calendar: recount of provisional deadlines failed; the next sweep tries again', {
      error: error instanceof Error ? error : String(error),
    });
    return;
  }
  if (recomputed.moved.length > 0) {
    logger.info(`calendar: ${recomputed.moved.length} provisional deadline(s) moved`, {
      moved: recomputed.moved,
    });
  }
  countSweepCaseFailures(recomputed.failed.length);
  for (const failure of recomputed.failed) {
    logger.error(`calendar: recount failed on case ${failure.caseId}; the next sweep tries again`, {
      caseId: failure.caseId,
      error: failure.error instanceof Error ? failure.error : String(failure.error),
    });
  }
}

function reportSweep(outcome: SweepOutcome): void {
  countDeadlinesBreached(outcome.breached.length);
  countSweepCaseFailures(outcome.failed.length);
  for (const failure of outcome.failed) {
    logger.error(
      `sweep failed on case ${failure.caseId}${failure.retryAt ? `; retried at ${failure.retryAt}` : ''}`,
      {
        caseId: failure.caseId,
        failures: failure.failures,
        retryAt: failure.retryAt,
        error: failure.error instanceof Error ? failure.error : String(failure.error),
      },
    );
  }
  for (const breach of outcome.breached) {
    logger.warn(`deadline ${breach.deadline} of ${breach.caseId} breached`, breach);
  }
  for (const entry of outcome.ledger) {
    logger.warn(`ledger: ${entry.kind} for ${entry.bureau} (${entry.caseNo} ${entry.deadline})`, {
      caseId: entry.caseId,
      bureau: entry.bureau,
      kind: entry.kind,
      deadline: entry.deadline,
    });
  }
  if (outcome.casesExamined > 0) {
    logger.info(
      `sweep: ${outcome.casesExamined} case(s), ${outcome.breached.length} breach(es), ${outcome.escalated.length} escalation(s), ${outcome.reminded.length} reminder(s), ${outcome.failed.length} failed`,
    );
  }
}
