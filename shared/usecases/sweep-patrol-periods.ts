/**
 * The sweeper's patrol duties (contract section 7), run with every deadline sweep:
 *
 * - On the last working day of a period, from 09:00, one `patrol_reminder` to each unit still below
 *   its requirement; the period's reminders are marked handed over once sent, so later sweeps read
 *   one item and nothing else.
 * - At the end of a period's grace, its decision: per unit a decision item put on condition that
 *   none exists (the first sweep's decision stands); for a unit decided short, the ledger's
 *   admonishment of a bureau (written once by its entry id) and the `patrol_shortfall` notices to
 *   the brigade and the unit (sent once by their keys), then the decision is marked handed over.
 *   Once every unit of a period is handed over, the kind's mark moves past it (conditionally).
 *
 * No scan: the periods are computed from the clock, the mark and the reporting start; the patrols
 * of one period are one indexed query. Whatever the number of sweeps, concurrent or repeated, each
 * notice and entry happens once: a sweep that dies half way leaves the decision not handed over,
 * and the next sweep hands it over again under the same once-only keys.
 * Periods that began before the reporting start are never decided, nor reminded of.
 */
import { shanghaiDate, type WorkingCalendar } from '../domain/calendar.js';
import type { LedgerEntry } from '../domain/ledger.js';
import type { PatrolRequirements } from '../domain/patrol.js';
import {
  COMPLIANCE_PERIOD_KINDS,
  type CompliancePeriodKind,
  complianceRows,
  decidable,
  decidesAt,
  firstDecidablePeriod,
  isDecided,
  patrolKindsCounted,
  unitOutcomes,
} from '../domain/patrol-compliance.js';
import {
  patrolReminderNotice,
  patrolShortfallLedgerEntry,
  patrolShortfallNotices,
} from '../domain/patrol-notices.js';
import { lastWorkingDay, nextPeriod, type Period, parsePeriod, periodContaining } from '../domain/periods.js';
import type { AssignmentQueue, Clock } from '../ports/index.js';
import type { LedgerStore } from '../ports/ledger.js';
import type { PatrolPeriodStore, ReportingStartStore } from '../ports/patrol-periods.js';
import type { PatrolReader } from '../ports/patrols.js';
import { noticeMessage } from './notices.js';

export interface PatrolSweepDeps {
  patrols: PatrolReader;
  periods: PatrolPeriodStore;
  reportingStart: ReportingStartStore;
  queue: AssignmentQueue;
  ledger: LedgerStore;
  clock: Clock;
  calendar: WorkingCalendar;
  requirements: PatrolRequirements;
}

export interface PatrolSweepOutcome {
  /** Decisions this sweep handed over (short ones with their notices). */
  decided: Array<{ period: string; unit: string; status: 'met' | 'short' }>;
  /** Reminders this sweep handed to the notifier. */
  reminded: Array<{ period: string; unit: string }>;
  /** Ledger entries this sweep wrote (not those written before). */
  ledger: LedgerEntry[];
  /** What failed; the next sweep tries it again. */
  failed: Array<{ kind: CompliancePeriodKind; step: 'remind' | 'decide'; error: unknown }>;
}

/** At most this many periods of a kind are decided per sweep: a long-idle deployment catches up over several. */
export const MAX_PERIODS_PER_SWEEP = 12;

/** 09:00 Shanghai of the last working day: when the reminders of a period go out. */
export const REMINDER_HOUR = '09:00:00';

export async function sweepPatrolPeriods(deps: PatrolSweepDeps): Promise<PatrolSweepOutcome> {
  const now = deps.clock.now();
  const outcome: PatrolSweepOutcome = { decided: [], reminded: [], ledger: [], failed: [] };
  const reportingStart = await deps.reportingStart.reportingStart(shanghaiDate(now));
  for (const kind of COMPLIANCE_PERIOD_KINDS) {
    // Each step of each kind on its own: one failing never keeps the others from running.
    try {
      await remind(kind, now, reportingStart, deps, outcome);
    } catch (error) {
      outcome.failed.push({ kind, step: 'remind', error });
    }
    try {
      await decide(kind, now, reportingStart, deps, outcome);
    } catch (error) {
      outcome.failed.push({ kind, step: 'decide', error });
    }
  }
  return outcome;
}

async function rowsOf(
  period: Period & { kind: CompliancePeriodKind },
  decided: boolean,
  deps: PatrolSweepDeps,
) {
  const patrols = await deps.patrols.allPatrols({
    kinds: patrolKindsCounted(period.kind),
    from: period.startsAt,
    to: period.endsAt,
  });
  return complianceRows(period, patrols, deps.requirements, decided);
}

async function remind(
  kind: CompliancePeriodKind,
  now: Date,
  reportingStart: string,
  deps: PatrolSweepDeps,
  outcome: PatrolSweepOutcome,
): Promise<void> {
  const period = periodContaining(kind, now) as Period & { kind: CompliancePeriodKind };
  if (!decidable(period, reportingStart)) return;
  const day = lastWorkingDay(period, deps.calendar);
  // A period without a working day (a holiday week) has no day to remind on.
  if (!day) return;
  const remindFrom = Date.parse(`${day}T${REMINDER_HOUR}+08:00`);
  if (now.getTime() < remindFrom || now.getTime() >= Date.parse(period.endsAt)) return;
  if (await deps.periods.remindersHandedOver(period.id)) return;
  const at = now.toISOString();
  const deciding = decidesAt(period, deps.calendar, deps.requirements);
  for (const unit of unitOutcomes(await rowsOf(period, false, deps))) {
    if (unit.status === 'met') continue;
    const { key, notification } = patrolReminderNotice(unit, period, deciding);
    await deps.queue.send(noticeMessage(key, notification, at));
    outcome.reminded.push({ period: period.id, unit: unit.unit });
  }
  await deps.periods.markRemindersHandedOver(period.id, at);
}

async function decide(
  kind: CompliancePeriodKind,
  now: Date,
  reportingStart: string,
  deps: PatrolSweepDeps,
  outcome: PatrolSweepOutcome,
): Promise<void> {
  let through = await deps.periods.decidedThrough(kind);
  const first = firstDecidablePeriod(kind, reportingStart);
  let period = through ? nextPeriod(parsePeriod(through) ?? first) : first;
  // A reporting start moved later than the mark: nothing before it is decided.
  if (period.firstDay < first.firstDay) period = first;
  for (let count = 0; count < MAX_PERIODS_PER_SWEEP; count++) {
    if (!isDecided(period, now, deps.calendar, deps.requirements, reportingStart)) return;
    await decidePeriod(period as Period & { kind: CompliancePeriodKind }, now, deps, outcome);
    // Another sweep moved the mark meanwhile: it carries on from there, and so does the next sweep.
    if (!(await deps.periods.advanceDecidedThrough(kind, through, period.id))) return;
    through = period.id;
    period = nextPeriod(period);
  }
}

async function decidePeriod(
  period: Period & { kind: CompliancePeriodKind },
  now: Date,
  deps: PatrolSweepDeps,
  outcome: PatrolSweepOutcome,
): Promise<void> {
  const at = now.toISOString();
  const deciding = decidesAt(period, deps.calendar, deps.requirements);
  for (const unit of unitOutcomes(await rowsOf(period, true, deps))) {
    const status = unit.status === 'met' ? 'met' : 'short';
    const decision = await deps.periods.decide({
      period: period.id,
      unit: unit.unit,
      status,
      rows: unit.rows,
      decidedAt: at,
      // A met period has nothing to hand over.
      ...(status === 'met' ? { handedOverAt: at } : {}),
    });
    if (decision.handedOverAt) continue;
    // The decision as stored (the first sweep's) is the one announced.
    const decided = { unit: decision.unit, status: decision.status, rows: decision.rows };
    const entry = patrolShortfallLedgerEntry(decided, period, deciding, at);
    if (entry && (await deps.ledger.record(entry)).recorded) outcome.ledger.push(entry);
    for (const { key, notification } of patrolShortfallNotices(decided, period)) {
      await deps.queue.send(noticeMessage(key, notification, at));
    }
    await deps.periods.markHandedOver(period.id, decision.unit, at);
    outcome.decided.push({ period: period.id, unit: decision.unit, status: decision.status });
  }
}
