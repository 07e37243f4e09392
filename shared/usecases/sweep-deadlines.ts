/**
 * The deadline sweeper: finds cases that need it through the due index, marks each passed deadline
 * breached once (a versioned write, so overlapping sweeps cannot both mark it), writes the breach to
 * the accountability ledger (a conditional put, once per case, deadline and kind), and hands the
 * breach's escalation and any due reminder to the case's queue. Hand-overs are recorded only after
 * the sends succeeded; a crash in between leaves them pending for the next sweep, and the ledger's
 * and the notifier's once-only guards keep a repeated hand-over from counting or notifying twice.
 *
 * Each case is swept on its own: a case that fails (a store error, a case too large to write, a
 * bug its data triggers) is reported with its id, moved back in the due index with a growing
 * delay, and never stops the sweep of the cases after it.
 */
import {
  DEFAULT_REMINDER_POLICY,
  nextAttentionAt,
  type ReminderPolicy,
  reminderAt,
  sweepRetryDelayMs,
} from '../domain/attention.js';
import { type LedgerEntry, ledgerEntryFor } from '../domain/ledger.js';
import type { CaseEvent, CaseRecord, Deadline, DeadlineKind } from '../domain/model.js';
import { type AssignmentQueue, type CaseStore, type Clock, ConditionFailedError } from '../ports/index.js';
import type { LedgerStore } from '../ports/ledger.js';
import { updateCase } from './update-case.js';

export interface SweepDeps {
  store: CaseStore;
  queue: AssignmentQueue;
  clock: Clock;
  ledger: LedgerStore;
  /** Opens `notify_town` when a stop deadline passes (contract 4). */
  notifyTownDeadline(from: string, record: CaseRecord): Deadline;
  /** The reminder lead of the deadline policy the case writers index with (default: the domain's). */
  policy?: ReminderPolicy;
}

type CaseDeadline = { caseId: string; deadline: DeadlineKind };

export interface SweepOutcome {
  casesExamined: number;
  breached: CaseDeadline[];
  escalated: CaseDeadline[];
  reminded: CaseDeadline[];
  /** Ledger entries this sweep wrote (not those an earlier sweep had written already). */
  ledger: LedgerEntry[];
  /** Cases this sweep failed on; each is retried later (`retryAt`), none stopped the others. */
  failed: SweepFailure[];
}

export interface SweepFailure {
  caseId: string;
  error: unknown;
  /** Failures in a row, this one included (0 when the failure could not even be recorded). */
  failures: number;
  /** When the sweeper looks at the case again (UTC ISO); absent when it could not be deferred. */
  retryAt?: string;
}

export async function sweepDeadlines(
  deps: SweepDeps,
  options: { limit?: number } = {},
): Promise<SweepOutcome> {
  const now = deps.clock.now();
  const caseIds = await deps.store.findCasesNeedingAttention(now, options.limit ?? 500);
  const outcome: SweepOutcome = {
    casesExamined: caseIds.length,
    breached: [],
    escalated: [],
    reminded: [],
    ledger: [],
    failed: [],
  };
  for (const caseId of caseIds) {
    try {
      await sweepCase(caseId, now, deps, outcome);
    } catch (error) {
      outcome.failed.push(await deferFailedCase(caseId, error, now, deps));
    }
  }
  return outcome;
}

/**
 * Moves a failed case's due-index entry back (a minute, then doubling up to an hour) so that it is
 * retried without being fetched first by every sweep. Deferring may fail too (the store is down
 * for everyone, or this item cannot be written at all); the case then simply comes up again next
 * sweep, and the failure is still reported.
 */
async function deferFailedCase(
  caseId: string,
  error: unknown,
  now: Date,
  deps: SweepDeps,
): Promise<SweepFailure> {
  let retryAt: string | undefined;
  try {
    const failures = await deps.store.deferAttention(caseId, (count) => {
      const at = new Date(now.getTime() + sweepRetryDelayMs(count));
      retryAt = at.toISOString();
      return at;
    });
    return { caseId, error, failures, ...(failures > 0 && retryAt ? { retryAt } : {}) };
  } catch {
    return { caseId, error, failures: 0 };
  }
}

/** Marks the breaches of one case at `now`; pure. */
export function markBreaches(
  record: CaseRecord,
  now: Date,
  deps: Pick<SweepDeps, 'notifyTownDeadline'>,
): CaseRecord {
  const at = now.toISOString();
  const due = (d: Deadline) => !d.metAt && !d.breachedAt && Date.parse(d.dueAt) <= now.getTime();
  if (record.status === 'closed' || !record.deadlines.some(due)) return record;
  const events: CaseEvent[] = [];
  let deadlines = record.deadlines.map((d) => {
    if (!due(d)) return d;
    // The bureau in charge at the breach answers for it, even if the case is reassigned later.
    events.push({
      type: 'deadline_breached',
      at,
      by: 'system',
      deadline: d.kind,
      dueAt: d.dueAt,
      bureau: record.bureau,
    });
    return { ...d, breachedAt: at, escalatedAt: null };
  });
  const stopBreached = events.some((e) => e.deadline === 'stop');
  if (stopBreached && !deadlines.some((d) => d.kind === 'notify_town')) {
    // A passed stop deadline obliges the bureau to tell the town government (contract 4).
    deadlines = [...deadlines, deps.notifyTownDeadline(at, record)];
  }
  return {
    ...record,
    deadlines,
    events: [...record.events, ...events],
    updatedAt: at,
    version: record.version + 1,
  };
}

/** Open deadlines whose reminder is due at `now` (and which are not yet due themselves). */
export function remindersDue(record: CaseRecord, now: Date, leadMs: number): Deadline[] {
  const nowIso = now.toISOString();
  return record.deadlines.filter((d) => {
    const at = reminderAt(record, d, leadMs);
    return at !== undefined && at <= nowIso && Date.parse(d.dueAt) > now.getTime();
  });
}

async function sweepCase(caseId: string, now: Date, deps: SweepDeps, outcome: SweepOutcome): Promise<void> {
  const at = now.toISOString();
  const policy = deps.policy ?? DEFAULT_REMINDER_POLICY;
  // Breaches are stored before anything is handed over: the notifier reads them from the case.
  const marked = await updateCase(deps.store, caseId, (current) => markBreaches(current, now, deps));
  // Gone, or changed by others on every attempt: the next sweep looks again.
  if (marked.outcome === 'missing' || marked.outcome === 'contended') return;
  let record: CaseRecord;
  if (marked.outcome === 'updated') {
    record = marked.after;
    for (const d of record.deadlines) {
      if (d.breachedAt === at && !marked.before.deadlines.find((c) => c.kind === d.kind)?.breachedAt) {
        outcome.breached.push({ caseId, deadline: d.kind });
      }
    }
  } else {
    record = marked.record;
  }

  /** What the sweep hands over for a case: its unescalated breaches and its reminders due now. */
  const handOversDue = (current: CaseRecord) => ({
    pending: current.deadlines.filter((d) => d.breachedAt && !d.escalatedAt),
    reminders: remindersDue(current, now, policy.reminderLeadMs),
  });
  const due = handOversDue(record);
  if (due.pending.length === 0 && due.reminders.length === 0) {
    await realignDueIndex(record, now, policy, deps);
    return;
  }

  // Someone changing the case meanwhile makes this run again on the fresh case; the ledger and
  // the notifier de-duplicate the repeated writes and sends.
  const handed = await updateCase(
    deps.store,
    caseId,
    async (current) => {
      const { pending, reminders } = handOversDue(current);
      if (pending.length === 0 && reminders.length === 0) return current;
      // The ledger first: a breach recorded as escalated is always on the ledger too.
      for (const d of pending) {
        const entry = ledgerEntryFor(current, d, at);
        if (entry && (await deps.ledger.record(entry)).recorded) outcome.ledger.push(entry);
      }
      for (const d of pending) {
        await deps.queue.send({ type: 'escalation', caseId, deadline: d.kind, target: current.bureau });
      }
      for (const d of reminders) {
        await deps.queue.send({ type: 'reminder', caseId, deadline: d.kind, target: current.bureau });
      }
      const pendingKinds = new Set(pending.map((d) => d.kind));
      const reminderKinds = new Set(reminders.map((d) => d.kind));
      return {
        ...current,
        deadlines: current.deadlines.map((d) => ({
          ...d,
          ...(pendingKinds.has(d.kind) ? { escalatedAt: at } : {}),
          ...(reminderKinds.has(d.kind) ? { remindedAt: at } : {}),
        })),
        updatedAt: at,
        version: current.version + 1,
      };
    },
    { current: record },
  );
  if (handed.outcome !== 'updated') return;
  const { pending, reminders } = handOversDue(handed.before);
  for (const d of pending) outcome.escalated.push({ caseId, deadline: d.kind });
  for (const d of reminders) outcome.reminded.push({ caseId, deadline: d.kind });
}

/**
 * The index woke the sweeper but nothing is due under the configured reminder lead: the case was
 * indexed under another lead (REMINDER_LEAD_MINUTES changed since it was written). Rewriting it
 * moves its index entry to its next instant, so it is not fetched again every sweep until then.
 */
async function realignDueIndex(
  record: CaseRecord,
  now: Date,
  policy: ReminderPolicy,
  deps: SweepDeps,
): Promise<void> {
  const next = nextAttentionAt(record, policy);
  if (next !== undefined && next <= now.toISOString()) return;
  try {
    await deps.store.putCase({ ...record, version: record.version + 1 }, record.version);
  } catch (error) {
    // Another writer got there first and indexed the case anew: nothing left to do.
    if (!(error instanceof ConditionFailedError)) throw error;
  }
}
