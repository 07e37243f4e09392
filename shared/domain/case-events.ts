/**
 * The case state machine (contract section 3). Pure: given a case, an event and who sends it,
 * either the next case or the reason it is refused. The README's state table is this file's
 * summary; keep them together.
 *
 *   triage ──reassign──► assigned ──acknowledge──► acknowledged ──inspect──► inspected
 *                            └──────────inspect─────────────────────────────┘   │
 *   inspected (violation confirmed) ──stop──► stopping ──(failed / stop overdue) notify_town──► town_notified
 *   any open state ──close──► closed;   comment: any state;   reassign (brigade): any open state
 */
import { z } from 'zod';
import {
  applyHotlineEvent,
  closeReplyFields,
  DEFAULT_RESOLUTION,
  HOTLINE_EVENT_TYPES,
  hotlineEventSchemas,
  isHotlineEvent,
} from './hotline-events.js';
import {
  AREA_IDS,
  type AreaId,
  type CaseEvent,
  type CaseRecord,
  type CaseStatus,
  type Deadline,
  type DeadlineKind,
  type DistrictId,
  type Principal,
  principalId,
} from './model.js';

export const CASE_EVENT_TYPES = [
  'acknowledge',
  'inspect',
  'stop',
  'notify_town',
  'close',
  'reassign',
  'comment',
  // Contract 9: extensions, returns (hotline-events.ts).
  ...HOTLINE_EVENT_TYPES,
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

const note = z.string().trim().max(2000).optional();
const eventId = z.string().trim().min(1).max(100).optional();

/** The request body of `POST /v1/cases/{caseId}/events`, one shape per event type. */
export const caseEventBodySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('acknowledge'), note, eventId }),
  z.object({
    type: z.literal('inspect'),
    finding: z.enum(['violation_confirmed', 'no_violation']),
    note,
    eventId,
  }),
  z.object({ type: z.literal('stop'), result: z.enum(['stopped', 'failed']), note, eventId }),
  z.object({ type: z.literal('notify_town'), note, eventId }),
  z.object({
    type: z.literal('close'),
    outcome: z.string().trim().min(1).max(2000),
    ...closeReplyFields,
    note,
    eventId,
  }),
  z.object({ type: z.literal('reassign'), area: z.enum(AREA_IDS), note, eventId }),
  z.object({ type: z.literal('comment'), note: z.string().trim().min(1).max(2000), eventId }),
  ...hotlineEventSchemas,
]);
export type CaseEventBody = z.infer<typeof caseEventBodySchema>;

/** What the state machine needs from the outside: new deadlines and area facts. */
export interface EventContext {
  now: Date;
  stopDeadline(from: string, record: CaseRecord): Deadline;
  notifyTownDeadline(from: string, record: CaseRecord): Deadline;
  area(area: AreaId): { name: string; district: DistrictId };
}

export type EventDecision =
  | { ok: true; record: CaseRecord; reassignedTo?: string }
  | { ok: false; reason: 'forbidden' | 'invalid_transition'; message: string }
  /** A field that does not fit this case (e.g. an extension's `dueAt` not after the deadline). */
  | { ok: false; reason: 'invalid_field'; path: string; message: string };

const OPEN_ACTION_STATES: Record<
  Exclude<CaseEventType, 'comment' | 'reassign' | 'close' | (typeof HOTLINE_EVENT_TYPES)[number]>,
  readonly CaseStatus[]
> = {
  acknowledge: ['assigned'],
  inspect: ['assigned', 'acknowledged'],
  stop: ['inspected', 'stopping'],
  notify_town: ['inspected', 'stopping'],
};

const refuse = (message: string): EventDecision => ({ ok: false, reason: 'invalid_transition', message });
const forbid = (message: string): EventDecision => ({ ok: false, reason: 'forbidden', message });

function lastEvent(record: CaseRecord, type: string): CaseEvent | undefined {
  return [...record.events].reverse().find((event) => event.type === type);
}

function meet(deadlines: Deadline[], kind: DeadlineKind, at: string): Deadline[] {
  return deadlines.map((d) => (d.kind === kind && !d.metAt ? { ...d, metAt: at } : d));
}

function hasDeadline(record: CaseRecord, kind: DeadlineKind): boolean {
  return record.deadlines.some((d) => d.kind === kind);
}

/** May this principal act on this case at all? Partners and sources read; they do not act. */
export function canActOnCase(principal: Principal, record: CaseRecord): boolean {
  if (principal.kind === 'brigade') return true;
  return principal.kind === 'bureau' && record.area === principal.area;
}

export function applyCaseEvent(
  record: CaseRecord,
  body: CaseEventBody,
  principal: Principal,
  context: EventContext,
): EventDecision {
  if (!canActOnCase(principal, record)) return forbid('This case is outside your area or role.');
  if (body.type === 'reassign' && principal.kind !== 'brigade')
    return forbid('Only the brigade reassigns cases.');

  const at = context.now.toISOString();
  const event: CaseEvent = {
    type: body.type,
    at,
    by: principalId(principal),
    ...(principal.actor ? { actor: principal.actor } : {}),
  };
  for (const [key, value] of Object.entries(body))
    if (key !== 'type' && value !== undefined) event[key] = value;
  const next: CaseRecord = {
    ...record,
    events: [...record.events, event],
    updatedAt: at,
    version: record.version + 1,
  };

  if (body.type === 'comment') return { ok: true, record: next };
  if (record.status === 'closed') return refuse('The case is closed; only comments may be added.');
  if (isHotlineEvent(body)) return applyHotlineEvent(record, next, body, principal, at);

  switch (body.type) {
    case 'acknowledge':
    case 'inspect':
    case 'stop':
    case 'notify_town': {
      if (record.status === 'triage')
        return refuse('The case waits in triage; the brigade must assign it first.');
      if (!OPEN_ACTION_STATES[body.type].includes(record.status)) {
        return refuse(`A ${body.type} event is not allowed while the case is ${record.status}.`);
      }
      break;
    }
    default:
      break;
  }

  switch (body.type) {
    case 'acknowledge':
      return {
        ok: true,
        record: { ...next, status: 'acknowledged', deadlines: meet(record.deadlines, 'acknowledge', at) },
      };

    case 'inspect': {
      // Going on site proves receipt: an inspection also meets an unmet acknowledge deadline.
      let deadlines = meet(meet(record.deadlines, 'acknowledge', at), 'inspect', at);
      if (body.finding === 'violation_confirmed' && !hasDeadline(record, 'stop')) {
        deadlines = [...deadlines, context.stopDeadline(at, record)];
      }
      return { ok: true, record: { ...next, status: 'inspected', deadlines } };
    }

    case 'stop': {
      if (lastEvent(record, 'inspect')?.finding !== 'violation_confirmed') {
        return refuse('A stop is allowed only after an inspection confirmed a violation.');
      }
      if (lastEvent(record, 'stop')?.result === 'stopped')
        return refuse('The violation has already been stopped.');
      let deadlines = record.deadlines;
      if (body.result === 'stopped') deadlines = meet(deadlines, 'stop', at);
      if (body.result === 'failed' && !hasDeadline(record, 'notify_town')) {
        deadlines = [...deadlines, context.notifyTownDeadline(at, record)];
      }
      return { ok: true, record: { ...next, status: 'stopping', deadlines } };
    }

    case 'notify_town': {
      const stop = record.deadlines.find((d) => d.kind === 'stop');
      const failed = lastEvent(record, 'stop')?.result === 'failed';
      const stopOverdue =
        stop !== undefined &&
        !stop.metAt &&
        (stop.breachedAt !== null || Date.parse(stop.dueAt) < context.now.getTime());
      if (!failed && !stopOverdue) {
        return refuse('The town government is notified only after a failed stop or a passed stop deadline.');
      }
      return {
        ok: true,
        record: { ...next, status: 'town_notified', deadlines: meet(record.deadlines, 'notify_town', at) },
      };
    }

    case 'close':
      event.resolution ??= DEFAULT_RESOLUTION;
      return {
        ok: true,
        record: { ...next, status: 'closed', deadlines: meet(record.deadlines, 'close', at) },
      };

    case 'reassign': {
      if (record.area === body.area) return refuse('The case is already assigned to this area.');
      const area = context.area(body.area);
      const previous = {
        area: record.area,
        method: record.routing.method,
        explanation: record.routing.explanation,
        replacedAt: at,
      };
      return {
        ok: true,
        reassignedTo: `bureau:${body.area}`,
        record: {
          ...next,
          area: body.area,
          areaName: area.name,
          district: area.district,
          bureau: `bureau:${body.area}`,
          status: record.status === 'triage' ? 'assigned' : record.status,
          routing: {
            area: body.area,
            district: area.district,
            method: 'reassigned',
            matched: area.name,
            matchedNames: record.routing.matchedNames ?? [],
            confidence: 1,
            explanation: `Reassigned by the brigade to ${area.name}${body.note ? `: ${body.note}` : '.'}`,
            previous: [...(record.routing.previous ?? []), previous],
          },
        },
      };
    }
  }
}
