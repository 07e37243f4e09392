/**
 * `POST /v1/cases/{caseId}/events`: applies a (validated) event to the case's state machine and stores
 * the result with optimistic locking, re-reading and re-applying when another writer got there first.
 * A client-supplied `eventId` makes retries safe: an event already recorded is not applied again.
 */
import { applyCaseEvent, type CaseEventBody, type EventContext } from '../domain/case-events.js';
import { type CaseBudget, checkCaseBudget, DEFAULT_CASE_BUDGET } from '../domain/case-size.js';
import { InvalidTransitionError } from '../domain/errors.js';
import { EVENT_LABELS } from '../domain/labels.js';
import type { CaseRecord, Principal } from '../domain/model.js';
import type { AssignmentQueue, CaseStore, Clock } from '../ports/index.js';
import { type CorrectionDeps, correctMerges } from './correct-merges.js';
import {
  CaseTooLargeError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from './errors.js';
import { CASE_NOT_FOUND } from './read-cases.js';
import { updateCase } from './update-case.js';

export interface ActDeps {
  store: CaseStore;
  queue: AssignmentQueue;
  clock: Clock;
  eventContext(now: Date): EventContext;
  /** How large a request may make a case (default: the domain's 300 KB). */
  budget?: CaseBudget;
  /** `split` and `merge` (并单 corrections): without them those events are not served. */
  corrections?: CorrectionDeps;
}

export async function recordCaseEvent(
  principal: Principal,
  caseId: string,
  event: CaseEventBody,
  deps: ActDeps,
): Promise<CaseRecord> {
  if (event.type === 'split' || event.type === 'merge') {
    if (!deps.corrections) throw new Error('split and merge are not wired into the case API');
    return correctMerges(principal, caseId, event, { ...deps, corrections: deps.corrections });
  }
  let reassignedTo: string | undefined;
  const update = await updateCase(deps.store, caseId, (record) => {
    const earlier = event.eventId ? record.events.find((e) => e.eventId === event.eventId) : undefined;
    if (earlier) {
      if (earlier.type !== event.type) throw new ConflictError('该eventId已用于另一事件。');
      return record;
    }
    const decision = applyCaseEvent(record, event, principal, deps.eventContext(deps.clock.now()));
    if (!decision.ok) {
      if (decision.reason === 'forbidden') throw new ForbiddenError(decision.message);
      if (decision.reason === 'invalid_field') {
        throw new ValidationError('该事件与案件当前情况不符。', [
          { path: decision.path, message: decision.message },
        ]);
      }
      throw new InvalidTransitionError(decision.message);
    }
    // Checked on the case as it would be stored: a long note is stored beside the case and costs
    // it only its summary, so a case refuses events only once its own item is near the limit.
    const size = checkCaseBudget(decision.record, deps.budget ?? DEFAULT_CASE_BUDGET);
    if (!size.ok) {
      throw new CaseTooLargeError(
        `此项${EVENT_LABELS[event.type] ?? '操作'}将使案件${record.caseNo}增至约${size.bytes}字节，超过其容量上限${size.maxBytes}字节；未作任何保存。`,
      );
    }
    reassignedTo = decision.reassignedTo;
    return decision.record;
  });

  switch (update.outcome) {
    case 'missing':
      throw new NotFoundError(CASE_NOT_FOUND);
    case 'contended':
      throw new ConflictError('案件正被他人同时修改，请重新提交。');
    case 'unchanged':
      // The event was recorded already: a retry after a lost response, and the earlier
      // reassignment's hand-over may be what was lost.
      if (event.type === 'reassign')
        await deps.queue.send({ type: 'assignment', caseId, target: update.record.bureau });
      return update.record;
    case 'updated':
      if (reassignedTo) await deps.queue.send({ type: 'assignment', caseId, target: reassignedTo });
      return update.after;
  }
}
