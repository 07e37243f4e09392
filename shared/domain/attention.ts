/** When a case next needs the deadline sweeper: a reminder, a deadline, or a pending escalation. */
import type { CaseRecord, Deadline } from './model.js';

/**
 * When a bureau is reminded of an open deadline: the reminder part of the deadline policy
 * (DeadlinePolicy in deadlines.ts), kept here so that reading the due index needs no calendar.
 */
export interface ReminderPolicy {
  /** How long before a deadline its bureau is reminded; 0 turns reminders off. */
  reminderLeadMs: number;
}

/** Two hours before each deadline, unless the deployment sets another lead (REMINDER_LEAD_MINUTES). */
export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { reminderLeadMs: 120 * 60_000 };

const isOpen = (record: CaseRecord, deadline: Deadline) =>
  record.status !== 'closed' && !deadline.metAt && !deadline.breachedAt;

/**
 * The instant (UTC ISO) the reminder before an open deadline is due, or undefined when none is due
 * any more (met, breached, already reminded, case closed). Normally `lead` before the deadline; a
 * deadline opened less than `lead` before it is due (a major case's two hours) is reminded halfway
 * instead, because a reminder at the moment of assignment would only repeat the assignment.
 */
export function reminderAt(record: CaseRecord, deadline: Deadline, leadMs: number): string | undefined {
  if (!isOpen(record, deadline) || deadline.remindedAt || leadMs <= 0) return undefined;
  const at = reminderInstant(deadline, leadMs);
  return at === undefined ? undefined : new Date(at).toISOString();
}

/**
 * The instant (epoch ms) the policy reminds of `deadline`, whether or not the reminder has gone out:
 * `leadMs` before it, or halfway for one opened less than `leadMs` before it is due. The console's
 * yellow light starts here.
 */
export function reminderInstant(
  deadline: Pick<Deadline, 'dueAt' | 'countedFrom'>,
  leadMs: number,
): number | undefined {
  const due = Date.parse(deadline.dueAt);
  if (!Number.isFinite(due)) return undefined;
  let at = due - leadMs;
  const opened = deadline.countedFrom ? Date.parse(deadline.countedFrom) : undefined;
  if (opened !== undefined && at <= opened) at = opened + (due - opened) / 2;
  return at;
}

/**
 * The instant (UTC ISO) the sweeper must next look at this case: the earliest of an open deadline's
 * reminder, an open deadline's due instant, and the breach instant of a breach whose escalation has
 * not been handed over yet. Undefined when nothing is pending, which drops the case from the sparse
 * due index.
 */
export function nextAttentionAt(
  record: CaseRecord,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
): string | undefined {
  let earliest: string | undefined;
  const consider = (instant: string | undefined) => {
    if (!instant) return;
    const utc = new Date(instant).toISOString();
    if (!earliest || utc < earliest) earliest = utc;
  };
  for (const deadline of record.deadlines) {
    if (deadline.breachedAt && !deadline.escalatedAt) consider(deadline.breachedAt);
    else if (isOpen(record, deadline)) {
      consider(deadline.dueAt);
      consider(reminderAt(record, deadline, policy.reminderLeadMs));
    }
  }
  return earliest;
}

/**
 * The instant (UTC ISO) from which the case counts as overdue: the earliest due instant among its
 * unmet deadlines, breached ones included (escalated or not). Undefined once the case is closed or
 * every deadline is met. Unlike the due index's key this never moves to a reminder or drops a
 * breach after its escalation, so a list filter `overdueFrom < now` matches exactly the overdue cases.
 */
export function overdueFrom(record: CaseRecord): string | undefined {
  if (record.status === 'closed') return undefined;
  let earliest: string | undefined;
  for (const deadline of record.deadlines) {
    if (deadline.metAt) continue;
    const due = Date.parse(deadline.dueAt);
    if (!Number.isFinite(due)) continue;
    const utc = new Date(due).toISOString();
    if (!earliest || utc < earliest) earliest = utc;
  }
  return earliest;
}

/** Open and at least one unmet deadline past its due instant (breached ones included). */
export function isOverdue(record: CaseRecord, now: Date): boolean {
  const from = overdueFrom(record);
  return from !== undefined && Date.parse(from) < now.getTime();
}

/** The first retry of a case the sweeper failed on comes after a minute (the cloud's sweep interval). */
export const SWEEP_RETRY_BASE_MS = 60_000;
/** Never longer than an hour: a deadline a failing case misses must still be escalated the same day. */
export const SWEEP_RETRY_MAX_MS = 60 * 60_000;

/**
 * How long the sweeper leaves a case alone after its `failures`-th failure in a row: doubling from
 * a minute up to an hour, so one case that keeps failing costs a few attempts an hour instead of
 * one per sweep, and still gets its turn soon after whatever broke it is fixed.
 */
export function sweepRetryDelayMs(failures: number): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(SWEEP_RETRY_BASE_MS * 2 ** exponent, SWEEP_RETRY_MAX_MS);
}
