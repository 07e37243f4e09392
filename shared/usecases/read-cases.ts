/**
 * The read side of the case API: tip status, one case, and case lists, each seen through the
 * caller's principal. Reporter identities are opened only here, only for principals allowed to
 * see them.
 */
import { canReadCase, canReadTip, canSeeReporter, listScope } from '../domain/access.js';
import { isOverdue } from '../domain/attention.js';
import { withCause } from '../domain/errors.js';
import type { AreaId, CaseRecord, CaseStatus, Principal, TipStatus } from '../domain/model.js';
import type { AuditLog } from '../ports/audit.js';
import type { CaseStore, Clock, ReporterVault } from '../ports/index.js';
import { DEFAULT_AUDIT_REASON, recordReporterView } from './audit.js';
import { ForbiddenError, NotFoundError, UnavailableError } from './errors.js';

/** The one answer for a tip that does not exist, is still queued, or is not the caller's to see. */
export const TIP_NOT_FOUND = 'No tip with this id has been routed yet; a queued tip appears within seconds.';
/** The one answer for a case that does not exist or is not the caller's to see. */
export const CASE_NOT_FOUND = 'No case with this id.';

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

export type CaseView = Omit<CaseRecord, 'reporter' | 'reporterTipId' | 'version'> & {
  overdue: boolean;
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

/** One case; `reason` is why the caller looks (recorded when the reporter is opened). */
export async function getCaseView(
  principal: Principal,
  caseId: string,
  deps: ReadDeps,
  options: { reason?: string } = {},
): Promise<CaseView> {
  const record = await deps.store.getCase(caseId);
  // Outside the caller's area or role is answered like "no such case" (docs/security.md).
  if (!record || !canReadCase(principal, record)) throw new NotFoundError(CASE_NOT_FOUND);
  return toCaseView(record, principal, deps, {
    withReporter: true,
    reason: options.reason ?? DEFAULT_AUDIT_REASON,
  });
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
  if (scope === 'forbidden') throw new ForbiddenError('You may not list cases of this area.');
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
  const items = await Promise.all(
    page.items.map((record) => toCaseView(record, principal, deps, { withReporter: false })),
  );
  return { items, cursor: page.cursor };
}

export async function toCaseView(
  record: CaseRecord,
  principal: Principal,
  deps: ReadDeps,
  options: { withReporter: boolean; reason?: string },
): Promise<CaseView> {
  const { reporter, reporterTipId, version: _version, ...rest } = record;
  // The same rule the stores' `overdue=true` filter applies, so a listed case always says overdue.
  const view: CaseView = { ...inContractOrder(rest), overdue: isOverdue(record, deps.clock.now()) };
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
      throw withCause(new UnavailableError('The service is temporarily unavailable. Retry later.'), error);
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
