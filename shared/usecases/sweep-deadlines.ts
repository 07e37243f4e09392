/**
 * The deadline sweeper: finds cases whose deadlines have passed through the due index, marks each
 * breach once (a versioned write, so overlapping sweeps cannot both mark it), and hands each breach's
 * escalation to the case's queue. The escalation is recorded as handed over only after the send
 * succeeded; a crash in between leaves it pending for the next sweep, and the notifier's once-only
 * claim keeps a repeated hand-over from notifying twice.
 */
import type { CaseEvent, CaseRecord, Deadline } from '../domain/model.js';
import { type AssignmentQueue, type CaseStore, type Clock, ConditionFailedError } from '../ports/index.js';

export interface SweepDeps {
  store: CaseStore;
  queue: AssignmentQueue;
  clock: Clock;
  /** Opens `notify_town` when a stop deadline passes (contract 4). */
  notifyTownDeadline(from: string, record: CaseRecord): Deadline;
}

export interface SweepOutcome {
  casesExamined: number;
  breached: Array<{ caseId: string; deadline: string }>;
  escalated: Array<{ caseId: string; deadline: string }>;
}

const MAX_ATTEMPTS = 5;

export async function sweepDeadlines(
  deps: SweepDeps,
  options: { limit?: number } = {},
): Promise<SweepOutcome> {
  const now = deps.clock.now();
  const caseIds = await deps.store.findCasesNeedingAttention(now, options.limit ?? 500);
  const outcome: SweepOutcome = { casesExamined: caseIds.length, breached: [], escalated: [] };
  for (const caseId of caseIds) await sweepCase(caseId, now, deps, outcome);
  return outcome;
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
    events.push({ type: 'deadline_breached', at, by: 'system', deadline: d.kind, dueAt: d.dueAt });
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

async function sweepCase(caseId: string, now: Date, deps: SweepDeps, outcome: SweepOutcome): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await deps.store.getCase(caseId);
    if (!current) return;
    const record = markBreaches(current, now, deps);
    if (record !== current) {
      try {
        await deps.store.putCase(record, current.version);
      } catch (error) {
        if (error instanceof ConditionFailedError) continue;
        throw error;
      }
      for (const d of record.deadlines) {
        if (
          d.breachedAt === now.toISOString() &&
          !current.deadlines.find((c) => c.kind === d.kind)?.breachedAt
        ) {
          outcome.breached.push({ caseId, deadline: d.kind });
        }
      }
    }

    const pending = record.deadlines.filter((d) => d.breachedAt && !d.escalatedAt);
    if (pending.length === 0) return;
    for (const d of pending) {
      await deps.queue.send({ type: 'escalation', caseId, deadline: d.kind, target: record.bureau });
    }
    const at = now.toISOString();
    const handedOver: CaseRecord = {
      ...record,
      deadlines: record.deadlines.map((d) =>
        d.breachedAt && !d.escalatedAt ? { ...d, escalatedAt: at } : d,
      ),
      updatedAt: at,
      version: record.version + 1,
    };
    try {
      await deps.store.putCase(handedOver, record.version);
    } catch (error) {
      // Someone changed the case meanwhile: re-read and try again; re-sent escalations are de-duplicated.
      if (error instanceof ConditionFailedError) continue;
      throw error;
    }
    for (const d of pending) outcome.escalated.push({ caseId, deadline: d.kind });
    return;
  }
}
