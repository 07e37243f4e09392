/**
 * After an operator loads the official holiday schedule of a year, open provisional deadlines are
 * counted again with it (contract 4). Cases with open deadlines are exactly the cases in the sparse
 * due index, so they are found through it, never by a scan. Each case is rewritten with optimistic
 * locking and gets a `deadlines_recomputed` event naming what moved.
 */
import type { WorkingCalendar } from '../domain/calendar.js';
import { DEFAULT_DEADLINE_POLICY, type DeadlinePolicy, recomputeDeadline } from '../domain/deadlines.js';
import type { CaseEvent, CaseRecord, Deadline, DeadlineKind } from '../domain/model.js';
import type { CaseStore, Clock } from '../ports/index.js';
import { updateCase } from './update-case.js';

export interface RecomputeDeps {
  store: CaseStore;
  clock: Clock;
  /** Already holding the newly loaded schedules. */
  calendar: WorkingCalendar;
  policy?: DeadlinePolicy;
}

export interface MovedDeadline {
  caseId: string;
  caseNo: string;
  deadline: DeadlineKind;
  from: string;
  to: string;
  provisional: boolean;
}

export interface RecomputeOutcome {
  casesExamined: number;
  /** Provisional deadlines counted again (moved or not). */
  provisionalExamined: number;
  moved: MovedDeadline[];
  /** Provisional deadlines whose instant stayed but which are now official. */
  confirmed: number;
  /** Cases the recount failed on; each is left for the next recount, none stopped the others. */
  failed: Array<{ caseId: string; error: unknown }>;
}

/** Beyond every due instant: the whole due index. */
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');

function lastEventAt(record: CaseRecord, match: (event: CaseEvent) => boolean): string | undefined {
  return [...record.events].reverse().find(match)?.at;
}

/** The instant a deadline was counted from, for deadlines stored before they carried it. */
export function deadlineOrigin(record: CaseRecord, deadline: Deadline): string | undefined {
  if (deadline.countedFrom) return deadline.countedFrom;
  switch (deadline.kind) {
    case 'acknowledge':
    case 'inspect':
    case 'close':
      return record.tips[0]?.receivedAt;
    case 'stop':
      return lastEventAt(record, (e) => e.type === 'inspect' && e.finding === 'violation_confirmed');
    case 'notify_town':
      return (
        lastEventAt(record, (e) => e.type === 'stop' && e.result === 'failed') ??
        lastEventAt(record, (e) => e.type === 'deadline_breached' && e.deadline === 'stop')
      );
  }
}

/** The case with its open provisional deadlines counted again; the same object when none moved. */
export function recomputeCase(
  record: CaseRecord,
  calendar: WorkingCalendar,
  at: string,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): { record: CaseRecord; examined: number; moved: MovedDeadline[]; confirmed: number } {
  if (record.status === 'closed') return { record, examined: 0, moved: [], confirmed: 0 };
  let examined = 0;
  let confirmed = 0;
  const moved: MovedDeadline[] = [];
  const deadlines = record.deadlines.map((deadline) => {
    if (!deadline.provisional || deadline.metAt || deadline.breachedAt) return deadline;
    const origin = deadlineOrigin(record, deadline);
    if (!origin) return deadline;
    examined++;
    const next = recomputeDeadline(deadline, record.severity, origin, calendar, policy);
    if (next === deadline) return deadline;
    if (next.dueAt !== deadline.dueAt) {
      moved.push({
        caseId: record.caseId,
        caseNo: record.caseNo,
        deadline: deadline.kind,
        from: deadline.dueAt,
        to: next.dueAt,
        provisional: next.provisional === true,
      });
    } else {
      confirmed++;
    }
    return { ...next, countedFrom: origin };
  });
  if (moved.length === 0 && confirmed === 0) return { record, examined, moved, confirmed };
  const event: CaseEvent = {
    type: 'deadlines_recomputed',
    at,
    by: 'system',
    note: '已载入官方节假日安排，时限重新计算',
    moved: moved.map(({ deadline, from, to }) => ({ deadline, from, to })),
  };
  return {
    record: {
      ...record,
      deadlines,
      events: [...record.events, event],
      updatedAt: at,
      version: record.version + 1,
    },
    examined,
    moved,
    confirmed,
  };
}

export async function recomputeProvisionalDeadlines(
  deps: RecomputeDeps,
  options: { limit?: number } = {},
): Promise<RecomputeOutcome> {
  const caseIds = await deps.store.findCasesNeedingAttention(END_OF_TIME, options.limit ?? 100_000);
  const outcome: RecomputeOutcome = {
    casesExamined: caseIds.length,
    provisionalExamined: 0,
    moved: [],
    confirmed: 0,
    failed: [],
  };
  for (const caseId of caseIds) {
    let recounted: ReturnType<typeof recomputeCase> | undefined;
    let update: Awaited<ReturnType<typeof updateCase>>;
    try {
      update = await updateCase(deps.store, caseId, (current) => {
        recounted = recomputeCase(current, deps.calendar, deps.clock.now().toISOString(), deps.policy);
        return recounted.record;
      });
    } catch (error) {
      // One case that cannot be read or written must not keep the others on the old calendar.
      outcome.failed.push({ caseId, error });
      continue;
    }
    // A case gone or changed by others on every attempt is left for the next recount.
    if (!recounted || (update.outcome !== 'updated' && update.outcome !== 'unchanged')) continue;
    outcome.provisionalExamined += recounted.examined;
    outcome.moved.push(...recounted.moved);
    outcome.confirmed += recounted.confirmed;
  }
  return outcome;
}
