/**
 * The case events of contract section 9 that close the loop with the hotlines: extensions of the
 * close deadline (延期: requested by the bureau, approved or rejected by the brigade), the return of
 * a case outside the land bureau's remit (退单, brigade, before inspection) and what a close now
 * also says (`reply` 答复内容 for the citizen, `resolution`). Pure; case-events.ts dispatches here.
 *
 *   open case, close deadline unmet ──request_extension──► request pending
 *   request pending ──approve_extension──► close deadline moved to the requested instant
 *                   ──reject_extension───► close deadline unchanged
 *   triage / assigned / acknowledged (never inspected) ──return──► closed, outcome `returned`
 */
import { z } from 'zod';
import { formatShanghai } from './calendar.js';
import { dateTimeLabel } from './labels.js';
import type { CaseEvent, CaseRecord, Deadline, Principal } from './model.js';

export const HOTLINE_EVENT_TYPES = [
  'request_extension',
  'approve_extension',
  'reject_extension',
  'return',
] as const;
export type HotlineEventType = (typeof HOTLINE_EVENT_TYPES)[number];

/** How a closed case answered the citizen's appeal (contract 9, `case.closed`). */
export const RESOLUTIONS = ['resolved', 'partially_resolved', 'unresolved'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const DEFAULT_RESOLUTION: Resolution = 'resolved';

const note = z.string().trim().max(2000).optional();
const eventId = z.string().trim().min(1).max(100).optional();
const requiredText = (what: string) =>
  z.string().trim().min(1, '为必填项').max(2000).describe(`${what}, at most 2000 characters.`);

/** The request bodies of the new events, one per type (case-events.ts puts them in its union). */
export const hotlineEventSchemas = [
  z.object({
    type: z.literal('request_extension'),
    dueAt: z.iso
      .datetime({ offset: true, message: '须为带时区偏移的ISO 8601时间，例如2026-12-04T17:00:00+08:00' })
      .describe('The close deadline asked for: later than the current one.'),
    reason: requiredText('Why the case needs more time (延期理由)'),
    note,
    eventId,
  }),
  z.object({ type: z.literal('approve_extension'), note, eventId }),
  z.object({ type: z.literal('reject_extension'), note, eventId }),
  z.object({
    type: z.literal('return'),
    reason: requiredText('Why the case is outside the land bureau’s remit (退单理由)'),
    legalBasis: requiredText('The legal basis of the return (法律依据)'),
    note,
    eventId,
  }),
] as const;

/** What `close` takes beside `outcome` (contract 9): the reply to the citizen and the resolution. */
export const closeReplyFields = {
  reply: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .optional()
    .describe('答复内容: what the source tells the citizen; sent with `case.closed`.'),
  resolution: z
    .enum(RESOLUTIONS)
    .optional()
    .describe(`How the appeal was answered; default \`${DEFAULT_RESOLUTION}\`.`),
};

export type HotlineEventBody = z.infer<(typeof hotlineEventSchemas)[number]>;

export const isHotlineEvent = (body: { type: string }): body is HotlineEventBody =>
  (HOTLINE_EVENT_TYPES as readonly string[]).includes(body.type);

export type HotlineDecision =
  | { ok: true; record: CaseRecord }
  | { ok: false; reason: 'forbidden' | 'invalid_transition'; message: string }
  /** The body is well formed but a field does not fit this case (e.g. an earlier `dueAt`). */
  | { ok: false; reason: 'invalid_field'; path: string; message: string };

const refuse = (message: string): HotlineDecision => ({ ok: false, reason: 'invalid_transition', message });
const forbid = (message: string): HotlineDecision => ({ ok: false, reason: 'forbidden', message });

/** The close deadline: the one deadline a case may carry of that kind. */
export function closeDeadlineOf(record: Pick<CaseRecord, 'deadlines'>): Deadline | undefined {
  return record.deadlines.find((d) => d.kind === 'close');
}

/** The extension request still waiting for the brigade, if any. */
export function pendingExtension(record: Pick<CaseRecord, 'events'>): CaseEvent | undefined {
  for (let index = record.events.length - 1; index >= 0; index--) {
    const event = record.events[index]!;
    if (event.type === 'approve_extension' || event.type === 'reject_extension') return undefined;
    if (event.type === 'request_extension') return event;
  }
  return undefined;
}

/** Before inspection: the states a case may be returned in (退单 "before inspection"). */
const RETURNABLE = new Set(['triage', 'assigned', 'acknowledged']);

/**
 * Applies one hotline event to `next` (the case with the event already appended, as case-events.ts
 * prepares it; `record` is the case before). The case is known to be open and the principal allowed
 * to act on it.
 */
export function applyHotlineEvent(
  record: CaseRecord,
  next: CaseRecord,
  body: HotlineEventBody,
  principal: Principal,
  at: string,
): HotlineDecision {
  const close = closeDeadlineOf(record);
  const event = next.events[next.events.length - 1]!;
  switch (body.type) {
    case 'request_extension': {
      if (principal.kind !== 'bureau' && principal.kind !== 'brigade')
        return forbid('只有承办分局（或监察大队）可以申请延期。');
      if (!close || close.metAt) return refuse('办结时限已满足，无须延期。');
      if (pendingExtension(record)) return refuse('已有一份延期申请等待监察大队审批。');
      if (Date.parse(body.dueAt) <= Date.parse(close.dueAt)) {
        return {
          ok: false,
          reason: 'invalid_field',
          path: 'dueAt',
          message: '须晚于当前的办结时限',
        };
      }
      event.dueAt = formatShanghai(body.dueAt);
      event.currentDueAt = close.dueAt;
      return { ok: true, record: next };
    }
    case 'approve_extension':
    case 'reject_extension': {
      if (principal.kind !== 'brigade') return forbid('只有监察大队可以批准或驳回延期申请。');
      const request = pendingExtension(record);
      if (!request) return refuse('没有待审批的延期申请。');
      event.requestedAt = request.at;
      event.dueAt = request.dueAt;
      event.reason = request.reason;
      if (body.type === 'reject_extension' || !close) return { ok: true, record: next };
      event.previousDueAt = close.dueAt;
      const dueAt = String(request.dueAt);
      return {
        ok: true,
        record: {
          ...next,
          deadlines: next.deadlines.map((d) => (d.kind === 'close' ? extended(d, dueAt, at) : d)),
        },
      };
    }
    case 'return': {
      if (principal.kind !== 'brigade') return forbid('只有监察大队可以退单。');
      const inspected = record.events.some((e) => e.type === 'inspect');
      if (!RETURNABLE.has(record.status) || inspected)
        return refuse('案件已现场核查，不能退单；退单须在现场核查之前。');
      event.outcome = 'returned';
      return {
        ok: true,
        record: {
          ...next,
          status: 'closed',
          deadlines: next.deadlines.map((d) => (d.kind === 'close' && !d.metAt ? { ...d, metAt: at } : d)),
        },
      };
    }
  }
}

/**
 * The close deadline moved by an approved extension. A breach already recorded stays (it is on the
 * ledger); an unbreached deadline is reminded again before its new instant. No longer provisional
 * and no longer tied to the source's deadline: a recount after a holiday schedule is loaded keeps
 * the approved instant.
 */
function extended(deadline: Deadline, dueAt: string, at: string): Deadline {
  const { sourceDueAt: _source, provisional: _provisional, ...rest } = deadline;
  return {
    ...rest,
    dueAt,
    provisional: false,
    basis: `监察大队于${dateTimeLabel(at)}批准延期（原办结时限${dateTimeLabel(deadline.dueAt)}）`,
    ...(deadline.breachedAt ? {} : { remindedAt: null }),
  };
}
