/**
 * The case state machine (contract section 3). Pure: given a case, an event and who sends it,
 * either the next case or the reason it is refused. The README's state table is this file's
 * summary; keep them together.
 *
 *   triage ──reassign──► assigned ──acknowledge──► acknowledged ──inspect──► inspected
 *                            └──────────inspect─────────────────────────────┘   │
 *   inspected (violation confirmed) ──stop──► stopping ──(failed / stop overdue) notify_town──► town_notified
 *   any open state ──close──► closed;   comment: any state;   reassign (brigade): any open state
 *   split {tipId} / merge {intoCaseId} (brigade, any open state; 并单, contract section 10): checked
 *   here, carried out across two cases by shared/usecases/correct-merges.ts
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
import { CASE_ID_PATTERN, TIP_ID_PATTERN } from './ids.js';
import { EVENT_LABELS, STATUS_LABELS } from './labels.js';
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
  'split',
  'merge',
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
  z.object({
    type: z.literal('split'),
    tipId: z
      .string()
      .regex(TIP_ID_PATTERN, '须为本案件的举报编号（tip_加字母或数字2-7）')
      .describe('The tip to make its own case.'),
    note,
    eventId,
  }),
  z.object({
    type: z.literal('merge'),
    intoCaseId: z
      .string()
      .regex(CASE_ID_PATTERN, '须为案件编号（case_加26位字母或数字2-7）')
      .describe(
        'The open case of the same area that takes this case’s tips; this case closes (outcome merged).',
      ),
    note,
    eventId,
  }),
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
  Exclude<
    CaseEventType,
    'comment' | 'reassign' | 'close' | 'split' | 'merge' | (typeof HOTLINE_EVENT_TYPES)[number]
  >,
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
  if (!canActOnCase(principal, record)) return forbid('该案件不属于您的辖区或职责范围。');
  if (body.type === 'reassign' && principal.kind !== 'brigade') return forbid('只有监察大队可以改派案件。');
  if ((body.type === 'split' || body.type === 'merge') && principal.kind !== 'brigade')
    return forbid('只有监察大队可以拆分或并单。');

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
  if (record.status === 'closed') return refuse('案件已办结，只能添加备注。');
  if (isHotlineEvent(body)) return applyHotlineEvent(record, next, body, principal, at);

  switch (body.type) {
    case 'acknowledge':
    case 'inspect':
    case 'stop':
    case 'notify_town': {
      if (record.status === 'triage') return refuse('案件待分派，须先由监察大队分派。');
      if (!OPEN_ACTION_STATES[body.type].includes(record.status)) {
        return refuse(
          `案件当前状态为"${STATUS_LABELS[record.status]}"，不能${EVENT_LABELS[body.type] ?? '执行此操作'}。`,
        );
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
        return refuse('只有现场核查确认违法属实后才能制止。');
      }
      if (lastEvent(record, 'stop')?.result === 'stopped') return refuse('违法行为已经制止。');
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
        return refuse('只有制止无效或制止时限届满后才能告知镇政府。');
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

    case 'split':
    case 'merge':
      // Allowed here; the two cases it changes are shared/usecases/correct-merges.ts's to write.
      return { ok: true, record: next };

    case 'reassign': {
      if (record.area === body.area) return refuse('案件已由该属地承办。');
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
            explanation: `监察大队改派至${area.name}国土分局${body.note ? `：${body.note}` : '。'}`,
            previous: [...(record.routing.previous ?? []), previous],
          },
        },
      };
    }
  }
}
