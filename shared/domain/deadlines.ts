/**
 * The deadline policy of contract section 4 as configuration (with the lead of the reminders
 * before each deadline), and the instants it yields. All instants are counted from the source's
 * receipt time in Asia/Shanghai and written with +08:00.
 */
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from './attention.js';
import { addHours, formatShanghai, parseInstant, type WorkingCalendar } from './calendar.js';
import { dateLabel, dateTimeLabel } from './labels.js';
import type { Deadline, DeadlineKind, Severity } from './model.js';

export type DeadlineSpan = { workingDays: number } | { hours: number };

/** The spans of each deadline and the lead of the reminders before them. */
export interface DeadlinePolicy extends ReminderPolicy {
  acknowledge: Record<Severity, DeadlineSpan>;
  inspect: Record<Severity, DeadlineSpan>;
  /** Counted from the inspection that confirmed a violation. */
  stop: Record<Severity, DeadlineSpan>;
  /** Counted from the failed stop or the passing of the stop deadline. */
  notify_town: Record<Severity, DeadlineSpan>;
  close: Record<Severity, DeadlineSpan> & {
    /** The source's own deadline replaces the computed one when it is earlier. */
    sourceDeadlineWhenEarlier: boolean;
  };
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  ...DEFAULT_REMINDER_POLICY,
  acknowledge: { normal: { workingDays: 1 }, major: { hours: 2 } },
  inspect: { normal: { workingDays: 2 }, major: { hours: 24 } },
  stop: { normal: { workingDays: 3 }, major: { hours: 24 } },
  notify_town: { normal: { workingDays: 1 }, major: { hours: 4 } },
  close: { normal: { workingDays: 15 }, major: { workingDays: 15 }, sourceDeadlineWhenEarlier: true },
};

/** What each deadline is counted from, for its `basis` (in Chinese, contract 11). */
const ORIGIN_LABELS: Record<DeadlineKind, string> = {
  acknowledge: '受理',
  inspect: '受理',
  close: '受理',
  stop: '现场核查',
  notify_town: '制止无效或制止时限届满',
};

/** Said of a provisional deadline. */
const PROVISIONAL_NOTE = '（暂定：该年度官方节假日安排尚未载入）';

/** A deadline of `kind` counted from `from` by the policy's span for `severity`. */
function compute(
  kind: DeadlineKind,
  severity: Severity,
  from: string,
  calendar: WorkingCalendar,
  policy: DeadlinePolicy,
): Deadline {
  const span: DeadlineSpan = policy[kind][severity];
  const fromLabel = ORIGIN_LABELS[kind];
  if ('hours' in span) {
    return {
      kind,
      dueAt: addHours(from, span.hours),
      metAt: null,
      breachedAt: null,
      provisional: false,
      basis: `自${fromLabel}时间${dateTimeLabel(from)}起${span.hours}小时`,
      countedFrom: from,
    };
  }
  const { dueAt, provisional } = calendar.addWorkingDays(from, span.workingDays);
  return {
    kind,
    dueAt,
    metAt: null,
    breachedAt: null,
    provisional,
    basis: `自${fromLabel}之日${dateLabel(from)}起${span.workingDays}个工作日${provisional ? PROVISIONAL_NOTE : ''}`,
    countedFrom: from,
  };
}

export interface DeadlineInput {
  /** When the source says the tip was received (ISO 8601 with offset). */
  receivedAt: string;
  severity: Severity;
  /** The source's own deadline (12345 `handlingDeadline`, city-management `dueAt`). */
  sourceDeadline?: string;
}

/** The deadlines every new case starts with: acknowledge, inspect and close. */
export function initialDeadlines(
  input: DeadlineInput,
  calendar: WorkingCalendar,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Deadline[] {
  const { receivedAt, severity } = input;
  const acknowledge = compute('acknowledge', severity, receivedAt, calendar, policy);
  const inspect = compute('inspect', severity, receivedAt, calendar, policy);
  const close = closeDeadline(receivedAt, severity, input.sourceDeadline, calendar, policy);
  return [acknowledge, inspect, close];
}

function closeDeadline(
  receivedAt: string,
  severity: Severity,
  sourceDeadline: string | undefined,
  calendar: WorkingCalendar,
  policy: DeadlinePolicy,
): Deadline {
  const close = compute('close', severity, receivedAt, calendar, policy);
  if (!sourceDeadline || !policy.close.sourceDeadlineWhenEarlier) return close;
  const source = parseInstant(sourceDeadline);
  const sourceDueAt = formatShanghai(source);
  if (source < parseInstant(close.dueAt)) {
    return {
      kind: 'close',
      dueAt: sourceDueAt,
      metAt: null,
      breachedAt: null,
      provisional: false,
      basis: `来源方办理时限，早于按规定计算的时限（${close.basis}）`,
      countedFrom: receivedAt,
      sourceDueAt,
    };
  }
  return { ...close, basis: `${close.basis}；来源方办理时限${dateTimeLabel(sourceDueAt)}较晚`, sourceDueAt };
}

/**
 * The same deadline counted again from the same instant with the calendar as it is now: after an
 * operator loaded the official schedule of a year, a provisional deadline lands where the official
 * working days put it. Met, breached and non-provisional deadlines are returned unchanged; the
 * reminder and escalation state is kept.
 */
export function recomputeDeadline(
  deadline: Deadline,
  severity: Severity,
  countedFrom: string,
  calendar: WorkingCalendar,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Deadline {
  if (!deadline.provisional || deadline.metAt || deadline.breachedAt) return deadline;
  const fresh =
    deadline.kind === 'close'
      ? closeDeadline(countedFrom, severity, deadline.sourceDueAt, calendar, policy)
      : compute(deadline.kind, severity, countedFrom, calendar, policy);
  if (fresh.dueAt === deadline.dueAt && fresh.provisional === deadline.provisional) return deadline;
  const { remindedAt, escalatedAt } = deadline;
  return {
    ...fresh,
    ...(remindedAt !== undefined ? { remindedAt } : {}),
    ...(escalatedAt !== undefined ? { escalatedAt } : {}),
  };
}

/** The stop deadline, created when an inspection confirms a violation. */
export function stopDeadline(
  inspectedAt: string,
  severity: Severity,
  calendar: WorkingCalendar,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Deadline {
  return compute('stop', severity, inspectedAt, calendar, policy);
}

/** The notify-town deadline, created when a stop fails or the stop deadline passes. */
export function notifyTownDeadline(
  from: string,
  severity: Severity,
  calendar: WorkingCalendar,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Deadline {
  return compute('notify_town', severity, from, calendar, policy);
}
