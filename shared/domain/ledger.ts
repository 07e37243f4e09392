/**
 * The accountability ledger of the patrol rules (巡查制度): which breach costs a bureau what. Pure:
 * given a case and one of its breached deadlines, the entry to write, if any.
 *
 * - A breached `acknowledge`, `inspect`, `stop` or `notify_town` deadline: an admonishment talk
 *   (诫勉谈话) for the bureau's chief and the officer directly in charge.
 * - A confirmed violation still not stopped when its `close` deadline passes: a public criticism
 *   (通报批评) of the bureau. The second criticism in one calendar year is a one-vote veto (一票否决)
 *   in that year's assessment.
 * - A case in triage has no bureau yet: the brigade answers for it, and nothing is written.
 */
import { shanghaiDate } from './calendar.js';
import { dateTimeLabel } from './labels.js';
import {
  type Actor,
  type CaseEvent,
  type CaseRecord,
  DEADLINE_LABELS,
  type Deadline,
  type DeadlineKind,
} from './model.js';

/**
 * `late_report` (a monthly report not submitted by its due date) is shown in the ledger but counts
 * toward neither criticisms nor the veto (contract section 8).
 */
export const LEDGER_ENTRY_KINDS = ['admonishment', 'criticism', 'late_report'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

export const LEDGER_REASONS = ['deadline_breach', 'patrol_shortfall', 'report_overdue'] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

/** What people read for each reason code (contract section 12). */
export const LEDGER_REASON_LABELS: Readonly<Record<LedgerReason, string>> = {
  deadline_breach: '办理超时',
  patrol_shortfall: '未落实巡查责任',
  report_overdue: '未按时报送月报',
};

/** Criticisms of one bureau in one calendar year that make a one-vote veto. */
export const VETO_CRITICISMS = 2;

export const UNKNOWN_PERSON = 'unknown';

/**
 * The years `GET /v1/ledger` serves. Case numbers and ledger years derive from receive times, which
 * intake keeps within MAX_RECEIVE_AGE_DAYS of now (contract 12), so both stay inside this range.
 */
export const LEDGER_YEARS = { min: 2000, max: 2100 } as const;

export interface LedgerEntry {
  /**
   * One entry per cause, however often the sweeper retries: `<caseId>#<deadline>#<kind>` for a
   * breach, `patrol#<unit>#<period>` for a patrol shortfall, `report#<area>/<month>` for a late report.
   */
  entryId: string;
  /** The Shanghai calendar year of the missed deadline, period end or report due date. */
  year: number;
  /** `bureau:<area>`. */
  bureau: string;
  kind: LedgerEntryKind;
  reason: LedgerReason;
  /** The reason in Chinese (contract section 12). */
  reasonLabel: string;
  /** What happened, in Chinese: which deadline, period or report, and when. */
  detail?: string;
  /** A deadline breach: the case and the deadline. */
  caseId?: string;
  caseNo?: string;
  deadline?: DeadlineKind;
  dueAt?: string;
  breachedAt?: string;
  /** A patrol shortfall: the unit (`bureau:<area>`) and the period (`2026-W49`). */
  unit?: string;
  period?: string;
  /** A late report: `<area>/<month>`. */
  report?: string;
  /** The bureau's chief (负责人), from the acting tokens where known. */
  chief: string;
  /** The officer directly in charge (直接责任人), from the acting tokens where known. */
  officer: string;
  recordedAt: string;
}

/** When the entry's cause fell due: orders the ledger. */
export const ledgerEntryDueAt = (entry: LedgerEntry): string => entry.dueAt ?? entry.recordedAt;

/**
 * An entry as stored before reason codes existed had a Chinese sentence as `reason` and was always a
 * deadline breach: read it as one, keeping the sentence as its detail.
 */
export function normalizeLedgerEntry(entry: LedgerEntry): LedgerEntry {
  if ((LEDGER_REASONS as readonly string[]).includes(entry.reason)) return entry;
  return {
    ...entry,
    reason: 'deadline_breach',
    reasonLabel: LEDGER_REASON_LABELS.deadline_breach,
    detail: entry.detail ?? String(entry.reason),
  };
}

const ADMONISHED: ReadonlySet<DeadlineKind> = new Set(['acknowledge', 'inspect', 'stop', 'notify_town']);

/** The bureau's own events whose actor answers for each missed deadline, most relevant first. */
const RELEVANT_EVENTS: Record<DeadlineKind, readonly string[]> = {
  acknowledge: [],
  inspect: ['acknowledge'],
  stop: ['inspect', 'acknowledge'],
  notify_town: ['stop', 'inspect', 'acknowledge'],
  close: ['stop', 'inspect', 'acknowledge'],
};

function actorOf(event: CaseEvent): Actor | undefined {
  const actor = event.actor as Actor | undefined;
  return actor && typeof actor.name === 'string' && actor.name.length > 0 ? actor : undefined;
}

/**
 * Who answers for a missed deadline: the chief is any actor with the chief's role seen on the
 * bureau's events of the case (the latest); the officer is the actor of the most relevant bureau
 * event (who acknowledged, when the inspection was missed), else the latest non-chief actor of the
 * bureau on the case. "unknown" where no token named anyone.
 */
export function responsiblePeople(
  record: CaseRecord,
  bureau: string,
  kind: DeadlineKind,
): { chief: string; officer: string } {
  const ownEvents = record.events.filter((event) => event.by === bureau && actorOf(event)).reverse();
  const chief = ownEvents.map(actorOf).find((actor) => actor?.role === 'chief')?.name ?? UNKNOWN_PERSON;
  const notChief = (event: CaseEvent) => actorOf(event)?.role !== 'chief';
  const officerEvent =
    RELEVANT_EVENTS[kind]
      .map((type) => ownEvents.find((event) => event.type === type && notChief(event)))
      .find(Boolean) ?? ownEvents.find(notChief);
  return { chief, officer: (officerEvent && actorOf(officerEvent)?.name) ?? UNKNOWN_PERSON };
}

/** The bureau that answered for the case when the deadline was breached (the breach event says). */
export function breachBureau(record: CaseRecord, kind: DeadlineKind): string {
  const breach = [...record.events]
    .reverse()
    .find((event) => event.type === 'deadline_breached' && event.deadline === kind);
  return typeof breach?.bureau === 'string' ? breach.bureau : record.bureau;
}

function violationStillUnstopped(record: CaseRecord): boolean {
  const inspection = [...record.events].reverse().find((event) => event.type === 'inspect');
  if (inspection?.finding !== 'violation_confirmed') return false;
  return !record.events.some((event) => event.type === 'stop' && event.result === 'stopped');
}

/** The ledger entry a breached deadline writes, or undefined when it writes none. */
export function ledgerEntryFor(
  record: CaseRecord,
  deadline: Deadline,
  recordedAt: string,
): LedgerEntry | undefined {
  if (!deadline.breachedAt) return undefined;
  const bureau = breachBureau(record, deadline.kind);
  if (!bureau.startsWith('bureau:')) return undefined;
  let kind: LedgerEntryKind;
  let detail: string;
  if (ADMONISHED.has(deadline.kind)) {
    kind = 'admonishment';
    detail = `案件${record.caseNo}${DEADLINE_LABELS[deadline.kind]}超时（时限${dateTimeLabel(deadline.dueAt)}）`;
  } else if (deadline.kind === 'close' && violationStillUnstopped(record)) {
    kind = 'criticism';
    detail = `案件${record.caseNo}违法行为经核查属实，至办结时限（${dateTimeLabel(deadline.dueAt)}）仍未制止`;
  } else {
    return undefined;
  }
  const { chief, officer } = responsiblePeople(record, bureau, deadline.kind);
  return {
    entryId: `${record.caseId}#${deadline.kind}#${kind}`,
    year: Number(shanghaiDate(deadline.dueAt).slice(0, 4)),
    bureau,
    kind,
    caseId: record.caseId,
    caseNo: record.caseNo,
    deadline: deadline.kind,
    dueAt: deadline.dueAt,
    breachedAt: deadline.breachedAt,
    chief,
    officer,
    reason: 'deadline_breach',
    reasonLabel: LEDGER_REASON_LABELS.deadline_breach,
    detail,
    recordedAt,
  };
}
