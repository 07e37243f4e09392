/**
 * Which case events a principal may send now: asked of the state machine itself (case-events.ts)
 * rather than restated, so the console's buttons and the API's 403/409 answers can never disagree.
 * Each event type is tried with a representative body against a context that opens placeholder
 * deadlines; nothing is stored and the results are discarded.
 */
import {
  applyCaseEvent,
  CASE_EVENT_TYPES,
  type CaseEventBody,
  type CaseEventType,
  type EventContext,
} from './case-events.js';
import { AREA_IDS, type CaseRecord, type Deadline, type Principal } from './model.js';

/**
 * One representative body per event type: a type added to CASE_EVENT_TYPES does not compile until
 * it has one here. A body's own choices (a finding, a stop's result) never change whether the state
 * allows the event, only what it does.
 */
const PROBES: Record<CaseEventType, (record: CaseRecord) => CaseEventBody | undefined> = {
  acknowledge: () => ({ type: 'acknowledge' }),
  inspect: () => ({ type: 'inspect', finding: 'no_violation' }),
  stop: () => ({ type: 'stop', result: 'failed' }),
  notify_town: () => ({ type: 'notify_town' }),
  close: () => ({ type: 'close', outcome: '-' }),
  reassign: (record) => {
    const area = AREA_IDS.find((candidate) => candidate !== record.area);
    return area ? { type: 'reassign', area } : undefined;
  },
  comment: () => ({ type: 'comment', note: '-' }),
  // Contract 9: an extension asks for a day past the current close deadline.
  request_extension: (record) => {
    const close = record.deadlines.find((deadline) => deadline.kind === 'close');
    const after = new Date(Date.parse(close?.dueAt ?? record.createdAt) + 86_400_000).toISOString();
    return { type: 'request_extension', dueAt: after, reason: '-' };
  },
  approve_extension: () => ({ type: 'approve_extension' }),
  reject_extension: () => ({ type: 'reject_extension' }),
  return: () => ({ type: 'return', reason: '-', legalBasis: '-' }),
  // Contract 10: a tip that joined the case (not the one that opened it), and any other case.
  split: (record) => {
    const joined = record.tips[1];
    return joined ? { type: 'split', tipId: joined.tipId } : undefined;
  },
  merge: () => ({ type: 'merge', intoCaseId: 'case_aaaaaaaaaaaaaaaa' }),
};

const placeholder = (kind: Deadline['kind'], from: string): Deadline => ({
  kind,
  dueAt: from,
  metAt: null,
  breachedAt: null,
});

function probeContext(now: Date): EventContext {
  return {
    now,
    stopDeadline: (from) => placeholder('stop', from),
    notifyTownDeadline: (from) => placeholder('notify_town', from),
    area: () => ({ name: '', district: 'district-1' }),
  };
}

/** The event types `principal` may send to `record` at `now`, in CASE_EVENT_TYPES order. */
export function allowedCaseEvents(record: CaseRecord, principal: Principal, now: Date): CaseEventType[] {
  const context = probeContext(now);
  return CASE_EVENT_TYPES.filter((type) => {
    const body = PROBES[type](record);
    return body !== undefined && applyCaseEvent(record, body, principal, context).ok;
  });
}
