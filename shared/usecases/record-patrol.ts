/**
 * `POST /v1/patrols` (contract section 7): records one patrol. Who may record which kind where, the
 * clock's rule on `endedAt` and the late-entry rule come first; then each finding becomes a case
 * through the case store (its anchor derived from the patrol id and the finding's place, so a
 * retried request finds the case it made), then the patrol is written with its day's next serial,
 * then each case's assignment goes to its bureau's queue as a routed tip's does (the notifier sends
 * it once, however often it is handed over).
 *
 * Idempotency: a `clientId` names the patrol (with the caller's principal), so the same request
 * again answers the patrol stored the first time, and its cases are the same cases. A request that
 * died half way (cases made, patrol not yet written) is completed by its retry.
 */
import { shanghaiYear, type WorkingCalendar } from '../domain/calendar.js';
import type { DeadlinePolicy } from '../domain/deadlines.js';
import { derivePatrolId, newPatrolId } from '../domain/ids.js';
import { dateLabel } from '../domain/labels.js';
import {
  AREA_DISTRICT,
  type AreaId,
  type CaseRecord,
  caseSnapshot,
  type Principal,
  principalId,
} from '../domain/model.js';
import type { PatrolFinding, PatrolPlace, PatrolRecord, PatrolRequirements } from '../domain/patrol.js';
import { findingCase, storedFinding } from '../domain/patrol-findings.js';
import {
  formatPatrolNo,
  futureEndIssue,
  isTooLate,
  lateEntryDeadline,
  type PatrolInput,
  patrolDay,
  patrolRecordingRefusal,
  storedTrack,
} from '../domain/patrol-input.js';
import { type AssignmentQueue, type CaseStore, type Clock, ConditionFailedError } from '../ports/index.js';
import type { PatrolStore } from '../ports/patrols.js';
import { ForbiddenError, TooLateError, ValidationError } from './errors.js';
import { formatCaseNo } from './route-tip.js';

export interface RecordPatrolDeps {
  patrols: PatrolStore;
  store: CaseStore;
  queue: AssignmentQueue;
  clock: Clock;
  calendar: WorkingCalendar;
  policy: DeadlinePolicy;
  requirements: PatrolRequirements;
  /** A place name as the gazetteer resolves it, read in the patrol's area first. */
  resolvePlace(name: string, area: AreaId): PatrolPlace;
}

export interface RecordedPatrol {
  patrol: PatrolRecord;
  /** False when the clientId named a patrol stored before: the same patrol, nothing new written. */
  created: boolean;
}

/** Refuses principals that never record patrols, before their request body is even read. */
export function assertMayRecordPatrols(principal: Principal): void {
  if (principal.kind !== 'brigade' && principal.kind !== 'bureau' && principal.kind !== 'leader')
    throw new ForbiddenError('只有国土分局、监察大队和片区责任领导可以录入巡查。');
}

export async function recordPatrol(
  principal: Principal,
  input: PatrolInput,
  deps: RecordPatrolDeps,
): Promise<RecordedPatrol> {
  assertMayRecordPatrols(principal);
  const refusal = patrolRecordingRefusal(principal, input.kind, input.area);
  if (refusal) throw new ForbiddenError(refusal);
  const recordedBy = principalId(principal);
  const patrolId = input.clientId ? derivePatrolId(recordedBy, input.clientId) : newPatrolId();
  if (input.clientId) {
    const stored = await deps.patrols.getPatrol(patrolId);
    if (stored) {
      // The first request may have died before its assignments left: hand them over again.
      const cases = await Promise.all(stored.findings.map((finding) => deps.store.getCase(finding.caseId)));
      await sendAssignments(cases, deps);
      return { patrol: stored, created: false };
    }
  }

  const now = deps.clock.now();
  const future = futureEndIssue(input.endedAt, now);
  if (future) throw new ValidationError('巡查记录不符合要求。', [future]);
  const { lateEntryWorkingDays } = deps.requirements;
  if (isTooLate(input.endedAt, now, deps.calendar, lateEntryWorkingDays)) {
    throw new TooLateError(
      `巡查须在结束后第${lateEntryWorkingDays}个工作日23:59:59前录入；本次巡查的录入截止时间为${dateLabel(lateEntryDeadline(input.endedAt, deps.calendar, lateEntryWorkingDays))}23:59:59，已逾期，不能补录。`,
    );
  }

  const cases = await createFindingCases(principal, patrolId, input, deps);
  const findings = cases.map(({ finding }) => finding);
  const recordedAt = now.toISOString();
  const places = input.places.map((name) => deps.resolvePlace(name, input.area));
  const track = input.track ? storedTrack(input.track) : undefined;
  const build = (serial: number): PatrolRecord => ({
    patrolId,
    patrolNo: formatPatrolNo(input.area, input.startedAt, serial),
    ...(input.clientId ? { clientId: input.clientId } : {}),
    kind: input.kind,
    area: input.area,
    district: AREA_DISTRICT[input.area],
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    officers: input.officers,
    ...(input.route ? { route: input.route } : {}),
    places,
    focus: input.focus,
    ...(track ? { track } : {}),
    findings,
    ...(input.note ? { note: input.note } : {}),
    recordedBy,
    ...(principal.actor ? { recordedByName: principal.actor.name } : {}),
    recordedAt,
  });
  let patrol: PatrolRecord;
  let created = true;
  try {
    patrol = await deps.patrols.createPatrol(patrolId, input.area, patrolDay(input.startedAt), build);
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    // The same clientId, recorded by a concurrent request that won: its patrol is this one.
    const stored = await deps.patrols.getPatrol(patrolId);
    if (!stored) throw error;
    patrol = stored;
    created = false;
  }
  await sendAssignments(
    cases.map(({ record }) => record),
    deps,
  );
  return { patrol, created };
}

/** Each finding's case, made now or found (a retry): in the patrol's area, never merged. */
async function createFindingCases(
  principal: Principal,
  patrolId: string,
  input: PatrolInput,
  deps: RecordPatrolDeps,
): Promise<Array<{ finding: PatrolFinding; record: CaseRecord }>> {
  const patrol = {
    patrolId,
    kind: input.kind,
    area: input.area,
    endedAt: input.endedAt,
    recordedBy: principalId(principal),
    ...(principal.actor ? { actor: principal.actor } : {}),
  };
  const year = shanghaiYear(input.endedAt);
  const made: Array<{ finding: PatrolFinding; record: CaseRecord }> = [];
  // One at a time: case numbers go out in the order of the findings.
  for (const [index, finding] of input.findings.entries()) {
    const { anchor, draft } = findingCase(patrol, finding, index, {
      calendar: deps.calendar,
      policy: deps.policy,
      now: deps.clock.now(),
    });
    let record: CaseRecord;
    try {
      record = await deps.store.createCase(anchor, year, (sequence) => ({
        ...draft,
        caseNo: formatCaseNo(year, sequence),
      }));
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      const known = await deps.store.getCase(draft.caseId);
      if (!known) throw error;
      record = known;
    }
    made.push({
      record,
      finding: {
        ...storedFinding(finding),
        violationType: record.violationType,
        caseId: record.caseId,
        caseNo: record.caseNo,
      },
    });
  }
  return made;
}

/**
 * The assignment of each finding's case to its bureau, as a routed tip's: the notifier reads the
 * case and sends the assignment, joint-enforcement notices and special reports once each.
 */
async function sendAssignments(
  cases: ReadonlyArray<CaseRecord | undefined>,
  deps: Pick<RecordPatrolDeps, 'queue'>,
): Promise<void> {
  for (const record of cases) {
    if (!record) continue;
    await deps.queue.send({
      type: 'assignment',
      caseId: record.caseId,
      target: record.bureau,
      snapshot: caseSnapshot(record),
    });
  }
}
