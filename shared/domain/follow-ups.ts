/**
 * What a source's follow-up (contract 9) does to the case of its tip, as pure rules: the message the
 * intake queue carries, and how it changes the case.
 *
 * - urge (催办): an `urged` event (and one `urge` notice to the bureau);
 * - callback (回访): a `callback` event with the satisfaction; `dissatisfied` on a closed case also
 *   reopens it (`reopened`, back to `acknowledged`, a new close deadline of REOPEN_WORKING_DAYS
 *   working days counted from the callback's `at`; one `reopen` notice to the bureau);
 * - withdrawal (撤单): closes a case not yet inspected whose only tip it is (outcome `withdrawn`);
 *   otherwise it is only recorded.
 *
 * Each is applied once per source and `webhook-id` (`followUpId`): a redelivered message finds its
 * event on the case and changes nothing; a new urge with a new webhook-id counts again.
 */
import { z } from 'zod';
import type { WorkingCalendar } from './calendar.js';
import { dateLabel } from './labels.js';
import type { CaseEvent, CaseRecord, Deadline, Source } from './model.js';
import { SOURCES } from './model.js';
import { SATISFACTIONS } from './sources/follow-ups.js';

/** A reopened case must be closed again within this many working days of the callback. */
export const REOPEN_WORKING_DAYS = 5;

/** A follow-up on the intake queue, beside the tips (the router applies both, in the same consumer). */
export interface FollowUpMessage {
  type: 'follow_up';
  kind: 'urge' | 'callback' | 'withdraw';
  source: Source;
  tipId: string;
  externalId: string;
  /** The source's `webhook-id` of the request: the follow-up's identity. */
  webhookId: string;
  /** When the source says it happened (its `at`, or the time of receipt). */
  at: string;
  /** When landline accepted it (ISO 8601 UTC). */
  acceptedAt: string;
  note?: string;
  satisfaction?: (typeof SATISFACTIONS)[number];
}

const followUpMessageSchema = z.object({
  type: z.literal('follow_up'),
  kind: z.enum(['urge', 'callback', 'withdraw']),
  source: z.enum(SOURCES),
  tipId: z.string().regex(/^tip_[a-z2-7]+$/),
  externalId: z.string().min(1),
  webhookId: z.string().min(1).max(256),
  at: z.iso.datetime({ offset: true }),
  acceptedAt: z.string(),
  note: z.string().optional(),
  satisfaction: z.enum(SATISFACTIONS).optional(),
});

export class MalformedFollowUpMessageError extends Error {
  constructor(reason: string) {
    super(`Intake message is not a follow-up: ${reason}`);
    this.name = 'MalformedFollowUpMessageError';
  }
}

/** True when an intake-queue message body (already parsed JSON) is a follow-up, not a tip. */
export const isFollowUpMessage = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'follow_up';

/** Reads a follow-up back from the queue; anything else fails loudly (and ends in the DLQ). */
export function parseFollowUpMessage(value: unknown): FollowUpMessage {
  const result = followUpMessageSchema.safeParse(value);
  if (!result.success) {
    throw new MalformedFollowUpMessageError(
      result.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', '),
    );
  }
  return result.data as FollowUpMessage;
}

/** The follow-up's identity on the case: the source's webhook-ids are its own, so namespaced by it. */
export const followUpIdOf = (message: Pick<FollowUpMessage, 'source' | 'webhookId'>): string =>
  `${message.source}:${message.webhookId}`;

export type FollowUpEffect =
  | 'duplicate'
  | 'urged'
  | 'callback'
  | 'reopened'
  | 'withdrawn'
  | 'withdrawal_recorded';

export interface FollowUpResult {
  effect: FollowUpEffect;
  /** The case to write; the given case itself for a duplicate. */
  record: CaseRecord;
}

/** Not yet inspected: the states in which a withdrawal closes the case. */
const WITHDRAWABLE = new Set(['triage', 'assigned', 'acknowledged']);

/** The new close deadline of a case reopened by a dissatisfied callback at `from`. */
export function reopenedCloseDeadline(from: string, calendar: WorkingCalendar): Deadline {
  const { dueAt, provisional } = calendar.addWorkingDays(from, REOPEN_WORKING_DAYS);
  return {
    kind: 'close',
    dueAt,
    metAt: null,
    breachedAt: null,
    // Kept out of the provisional recount, which would count the ordinary close span again.
    provisional: false,
    basis:
      `自回访不满意之日${dateLabel(from)}起${REOPEN_WORKING_DAYS}个工作日（重办）` +
      (provisional ? '（暂定：该年度官方节假日安排尚未载入）' : ''),
    countedFrom: from,
  };
}

export function applyFollowUp(
  record: CaseRecord,
  message: FollowUpMessage,
  context: { now: Date; calendar: WorkingCalendar },
): FollowUpResult {
  const followUpId = followUpIdOf(message);
  if (record.events.some((event) => event.followUpId === followUpId)) return { effect: 'duplicate', record };
  const at = context.now.toISOString();
  const common = {
    at,
    by: `source:${message.source}`,
    tipId: message.tipId,
    followUpId,
    sourceAt: message.at,
  };
  const withEvents = (events: CaseEvent[], changes: Partial<CaseRecord> = {}): CaseRecord => ({
    ...record,
    ...changes,
    events: [...record.events, ...events],
    updatedAt: at,
    version: record.version + 1,
  });

  switch (message.kind) {
    case 'urge':
      return {
        effect: 'urged',
        record: withEvents([{ type: 'urged', ...common, ...(message.note ? { note: message.note } : {}) }]),
      };

    case 'callback': {
      const callback: CaseEvent = {
        type: 'callback',
        ...common,
        satisfaction: message.satisfaction,
        ...(message.note ? { note: message.note } : {}),
      };
      // A case that never had a bureau (returned from triage) has nobody to handle it again.
      if (message.satisfaction !== 'dissatisfied' || record.status !== 'closed' || record.area === null)
        return { effect: 'callback', record: withEvents([callback]) };
      const deadline = reopenedCloseDeadline(message.at, context.calendar);
      const previous = record.deadlines.find((d) => d.kind === 'close');
      const reopened: CaseEvent = {
        type: 'reopened',
        at,
        by: 'system',
        tipId: message.tipId,
        followUpId,
        dueAt: deadline.dueAt,
        ...(previous ? { previousDueAt: previous.dueAt } : {}),
        note: '回访不满意，案件重办',
      };
      const deadlines = previous
        ? record.deadlines.map((d) => (d.kind === 'close' ? deadline : d))
        : [...record.deadlines, deadline];
      return {
        effect: 'reopened',
        record: withEvents([callback, reopened], { status: 'acknowledged', deadlines }),
      };
    }

    case 'withdraw': {
      const onlyTip = record.tips.length === 1 && record.tips[0]?.tipId === message.tipId;
      const inspected = record.events.some((event) => event.type === 'inspect');
      const closes = onlyTip && !inspected && WITHDRAWABLE.has(record.status);
      const event: CaseEvent = {
        type: 'withdrawn',
        ...common,
        closed: closes,
        ...(closes ? { outcome: 'withdrawn' } : {}),
        ...(message.note ? { note: message.note } : {}),
      };
      if (!closes) return { effect: 'withdrawal_recorded', record: withEvents([event]) };
      return {
        effect: 'withdrawn',
        record: withEvents([event], {
          status: 'closed',
          deadlines: record.deadlines.map((d) => (d.kind === 'close' && !d.metAt ? { ...d, metAt: at } : d)),
        }),
      };
    }
  }
}

/** The events a follow-up left on the case (empty when it was not applied). */
export const eventsOfFollowUp = (record: CaseRecord, followUpId: string): CaseEvent[] =>
  record.events.filter((event) => event.followUpId === followUpId);
