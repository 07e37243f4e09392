/**
 * `POST /v1/cases/{caseId}/events`: applies a (validated) event to the case's state machine and stores
 * the result with optimistic locking, re-reading and re-applying when another writer got there first.
 * A client-supplied `eventId` makes retries safe: an event already recorded is not applied again.
 */
import { applyCaseEvent, type CaseEventBody, type EventContext } from '../domain/case-events.js';
import { InvalidTransitionError } from '../domain/errors.js';
import type { CaseRecord, Principal } from '../domain/model.js';
import { type AssignmentQueue, type CaseStore, type Clock, ConditionFailedError } from '../ports/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from './errors.js';

export interface ActDeps {
  store: CaseStore;
  queue: AssignmentQueue;
  clock: Clock;
  eventContext(now: Date): EventContext;
}

const MAX_ATTEMPTS = 5;

export async function recordCaseEvent(
  principal: Principal,
  caseId: string,
  event: CaseEventBody,
  deps: ActDeps,
): Promise<CaseRecord> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const record = await deps.store.getCase(caseId);
    if (!record) throw new NotFoundError('No case with this id.');

    const earlier = event.eventId ? record.events.find((e) => e.eventId === event.eventId) : undefined;
    if (earlier) {
      if (earlier.type !== event.type)
        throw new ConflictError('This eventId was already used for another event.');
      // A retry after a lost response: the earlier reassignment's hand-over may be what was lost.
      if (earlier.type === 'reassign')
        await deps.queue.send({ type: 'assignment', caseId, target: record.bureau });
      return record;
    }

    const decision = applyCaseEvent(record, event, principal, deps.eventContext(deps.clock.now()));
    if (!decision.ok) {
      if (decision.reason === 'forbidden') throw new ForbiddenError(decision.message);
      throw new InvalidTransitionError(decision.message);
    }
    try {
      await deps.store.putCase(decision.record, record.version);
    } catch (error) {
      if (error instanceof ConditionFailedError) continue;
      throw error;
    }
    if (decision.reassignedTo)
      await deps.queue.send({ type: 'assignment', caseId, target: decision.reassignedTo });
    return decision.record;
  }
  throw new ConflictError('The case is being changed by others right now; retry the event.');
}
