/**
 * The read side of the case API: tip status, one case, and case lists, each seen through the
 * caller's principal. Reporter identities are opened only here, only for principals allowed to
 * see them.
 */
import { canReadCase, canReadTip, canSeeReporter, listScope } from '../domain/access.js';
import { isOverdue } from '../domain/attention.js';
import { allowedCaseEvents } from '../domain/case-actions.js';
import type { CaseEventType } from '../domain/case-events.js';
import { type CaseLabels, labelCaseView } from '../domain/case-labels.js';
import { bodyRefOf, boundListEvents, READ_INLINE_BYTES } from '../domain/case-size.js';
import { withCause } from '../domain/errors.js';
import type { AreaId, CaseEvent, CaseRecord, CaseStatus, Principal, TipStatus } from '../domain/model.js';
import type { AuditLog } from '../ports/audit.js';
import type { CaseStore, Clock, ReporterVault } from '../ports/index.js';
import { DEFAULT_AUDIT_REASON, recordReporterView } from './audit.js';
import { ForbiddenError, NotFoundError, UnavailableError } from './errors.js';

/** The one answer for a tip that does not exist, is still queued, or is not the caller's to see. */
export const TIP_NOT_FOUND = '尚无此编号的已分派举报；排队中的举报将在数秒内出现。';
/** The answer for a case that does not exist (one outside the caller's area or role is 403). */
export const CASE_NOT_FOUND = '没有此编号的案件。';

export interface ReadDeps {
  store: CaseStore;
  vault: ReporterVault;
  clock: Clock;
  /** Every opened identity is recorded here first. */
  audit: AuditLog;
  newId?: () => string;
}

export interface TipStatusView {
  tipId: string;
  source: string;
  externalId: string;
  status: TipStatus;
  caseId: string;
  caseNo?: string;
}

export type ReporterView =
  | { anonymous: true }
  | { anonymous: false; confidential: boolean; name?: string; phone?: string; wantsFeedback?: boolean };

export type CaseView = Omit<CaseRecord, 'reporter' | 'reporterTipId' | 'version'> &
  CaseLabels & {
    overdue: boolean;
    /** The events this caller may send now (the console shows exactly these actions). */
    allowedEvents: CaseEventType[];
    reporter?: ReporterView;
  };

export async function getTipStatus(
  principal: Principal,
  tipId: string,
  deps: ReadDeps,
): Promise<TipStatusView> {
  const tip = await deps.store.getTip(tipId);
  const record = !tip || principal.kind === 'source' ? undefined : await deps.store.getCase(tip.caseId);
  // A tip the caller may not see is answered exactly like one that does not exist, so a token
  // cannot test whether another source's or area's tip exists (docs/security.md).
  if (!tip || !canReadTip(principal, tip, record)) throw new NotFoundError(TIP_NOT_FOUND);
  return {
    tipId: tip.tipId,
    source: tip.source,
    externalId: tip.externalId,
    status: tip.status,
    caseId: tip.caseId,
    ...(record ? { caseNo: record.caseNo } : {}),
  };
}

/**
 * One case; `reason` is why the caller looks (recorded when the reporter is opened). With
 * `withReporter: false` the reporter is left out: nothing is opened, nothing recorded.
 */
export async function getCaseView(
  principal: Principal,
  caseId: string,
  deps: ReadDeps,
  options: { reason?: string; withReporter?: boolean } = {},
): Promise<CaseView> {
  const record = await deps.store.getCase(caseId);
  if (!record) throw new NotFoundError(CASE_NOT_FOUND);
  // Contract 3 keeps 403 here on purpose: the brigade's operators tell "not yours" from "no such
  // case". (A tip the caller may not see is 404, above: the contract does not say, the issue does.)
  if (!canReadCase(principal, record)) throw new ForbiddenError('该案件不属于您的辖区或职责范围。');
  return toCaseView(await withEventBodies(record, deps), principal, deps, {
    withReporter: options.withReporter ?? true,
    reason: options.reason ?? DEFAULT_AUDIT_REASON,
  });
}

/** At most this many amendments kept beside a case (at its budget) are listed with it. */
const UNAPPLIED_LISTED = 1_000;

/**
 * Every event of the case, in order, with the content of large ones (stored beside the case)
 * inlined oldest first while the inlined total stays within READ_INLINE_BYTES; any beyond stay
 * summaries whose `body` ({ref, bytes}) references them. Amendments the case could not take (at its
 * size budget) are listed among them, in time order, marked `unapplied: true`.
 */
export async function withEventBodies(
  record: CaseRecord,
  deps: Pick<ReadDeps, 'store'>,
  inlineBytes = READ_INLINE_BYTES,
): Promise<CaseRecord> {
  const unapplied = await deps.store.listUnappliedAmendments(record.caseId, UNAPPLIED_LISTED);
  const events = unapplied.length
    ? [...record.events, ...unapplied].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    : record.events;
  const wanted: string[] = [];
  let budget = inlineBytes;
  for (const event of events) {
    const body = bodyRefOf(event);
    if (!body || body.bytes > budget) continue;
    budget -= body.bytes;
    wanted.push(body.ref);
  }
  if (wanted.length === 0 && unapplied.length === 0) return record;
  const bodies = wanted.length ? await deps.store.getEventBodies(record.caseId, wanted) : new Map();
  const inlined = events.map((event): CaseEvent => {
    const ref = bodyRefOf(event)?.ref;
    return (ref && bodies.get(ref)) || event;
  });
  return { ...record, events: inlined };
}

export interface CaseListQuery {
  area?: AreaId | 'triage';
  status?: CaseStatus;
  overdue?: boolean;
  cursor?: string;
  limit: number;
}

export async function listCaseViews(
  principal: Principal,
  query: CaseListQuery,
  deps: ReadDeps,
): Promise<{ items: CaseView[]; cursor: string | null }> {
  const scope = listScope(principal, query.area);
  if (scope === 'forbidden') throw new ForbiddenError('您无权查看该属地的案件列表。');
  const page = await deps.store.listCases(
    {
      ...scope,
      ...(query.status ? { status: query.status } : {}),
      ...(query.overdue ? { overdue: true } : {}),
      now: deps.clock.now().toISOString(),
    },
    query.limit,
    query.cursor,
  );
  // Lists never open reporter identities: one decryption per case would be an unaudited bulk read.
  const views = await Promise.all(
    page.items.map((record) => toCaseView(record, principal, deps, { withReporter: false })),
  );
  // A page of cases near their byte budget would not fit one answer: the largest give their
  // latest events only (`eventsOmitted`); GET of the one case lists them all.
  const items = boundListEvents(views);
  return { items, cursor: page.cursor };
}

export async function toCaseView(
  record: CaseRecord,
  principal: Principal,
  deps: ReadDeps,
  options: { withReporter: boolean; reason?: string },
): Promise<CaseView> {
  const { reporter, reporterTipId, version: _version, feedbackThrough: _feedback, ...rest } = record;
  // The same rule the stores' `overdue=true` filter applies, so a listed case always says overdue.
  // Each code with its Chinese name beside it (contract 11).
  const now = deps.clock.now();
  const view: CaseView = {
    ...labelCaseView(inContractOrder(rest)),
    overdue: isOverdue(record, now),
    allowedEvents: allowedCaseEvents(record, principal, now),
  };
  if (options.withReporter && canSeeReporter(principal, record) && !reporter.anonymous) {
    // Audit first: an identity nobody recorded opening is never shown.
    await recordReporterView(principal, record, options.reason ?? DEFAULT_AUDIT_REASON, deps);
    const identity = await openIdentity(deps.vault, reporterTipId, reporter.sealed);
    view.reporter = {
      anonymous: false,
      confidential: reporter.confidential,
      ...identity,
      ...(reporter.wantsFeedback !== undefined ? { wantsFeedback: reporter.wantsFeedback } : {}),
    };
  } else if (reporter.anonymous && principal.kind !== 'partner' && principal.kind !== 'source') {
    // Saying "anonymous" reveals nothing and spares the bureau a useless request.
    view.reporter = { anonymous: true };
  }
  return view;
}

async function openIdentity(vault: ReporterVault, tipId: string, sealed: string) {
  try {
    return await vault.open(tipId, sealed);
  } catch (error) {
    // KMS unreachable or throttling: retryable. A ciphertext that fails to open is a 500 (logged).
    if (error instanceof Error && error.name === 'ReporterKeyUnavailableError') {
      throw withCause(new UnavailableError('服务暂时不可用，请稍后重试。'), error);
    }
    throw error;
  }
}

/** DynamoDB returns maps in no particular order; a person reading the JSON expects the contract's. */
const CASE_FIELD_ORDER = [
  'caseId',
  'caseNo',
  'status',
  'area',
  'areaName',
  'district',
  'bureau',
  'routing',
  'title',
  'description',
  'location',
  'violationType',
  'severity',
  'severityReasons',
  'partners',
  'partnerReasons',
  'deadlines',
  'tips',
  'events',
  'createdAt',
  'updatedAt',
] as const;

const DEADLINE_FIELD_ORDER = ['kind', 'dueAt', 'metAt', 'breachedAt', 'provisional', 'basis'] as const;

function ordered<T extends object>(value: T, order: readonly string[]): T {
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const key of order) if (key in source) result[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in result)) result[key] = source[key];
  return result as T;
}

function inContractOrder<T extends { deadlines: object[] }>(record: T): T {
  const view = ordered(record, CASE_FIELD_ORDER);
  return { ...view, deadlines: record.deadlines.map((d) => ordered(d, DEADLINE_FIELD_ORDER)) };
}
