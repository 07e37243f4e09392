/**
 * The router's use case: the one place that decides "new case or not". A new tip becomes a case
 * through one conditional transaction (anchor, case, case number); a tip id already anchored in the
 * store is a redelivery (same content: re-send the assignment, which the notifier sends at
 * most once) or an amendment (new content: an event on the existing case). Concurrent deliveries
 * cannot make two cases: only one transaction finds the anchor absent. With the duplicate index
 * wired in (`merging`), a tip about the site of an open case joins that case instead (并单,
 * shared/usecases/merge-tip.ts), and a new case lists earlier cases about its site (复发).
 */
import { shanghaiYear } from '../domain/calendar.js';
import type { CaseRules } from '../domain/case-rules.js';
import { type CaseBudget, checkCaseBudget, DEFAULT_CASE_BUDGET } from '../domain/case-size.js';
import { type SiteEntry, siteEntries } from '../domain/duplicate-sites.js';
import type { SiteComparison } from '../domain/duplicates.js';
import { bureauName } from '../domain/labels.js';
import { contentOf } from '../domain/merging.js';
import {
  type CanonicalTip,
  type CaseEvent,
  type CaseRecord,
  caseSnapshot,
  type TipRecord,
} from '../domain/model.js';
import { type AssignmentQueue, type CaseStore, type Clock, ConditionFailedError } from '../ports/index.js';
import { findSameSite, joinCase, type MergingDeps, resendJoinNotices } from './merge-tip.js';

export interface RouteDeps {
  store: CaseStore;
  queue: AssignmentQueue;
  clock: Clock;
  rules: CaseRules;
  /** How large an amendment may make a case (default: the domain's 300 KB). */
  budget?: CaseBudget;
  /** The duplicate index and matcher (并单); without it every routed tip makes its own case. */
  merging?: MergingDeps;
}

export type RouteOutcome =
  | { outcome: 'created'; record: CaseRecord }
  | { outcome: 'duplicate'; record: CaseRecord }
  /** The tip joined an open case about the same site (并单): `record` is that case. */
  | { outcome: 'merged'; record: CaseRecord; comparison: SiteComparison }
  | { outcome: 'amended'; record: CaseRecord }
  /**
   * The case is at its size budget: the amendment is kept beside it (listed with the case's
   * events, referenced), never dropped and never dead-lettered. `bytes`: the size it would have had.
   */
  | { outcome: 'unapplied'; record: CaseRecord; bytes: number; maxBytes: number };

/** Case numbers are `<year>-<6 digits>`, the year being the Shanghai calendar year of receipt. */
export function formatCaseNo(year: number, sequence: number): string {
  return `${year}-${String(sequence).padStart(6, '0')}`;
}

export async function routeIncomingTip(tip: CanonicalTip, deps: RouteDeps): Promise<RouteOutcome> {
  // Most tips are new: write first (once the duplicate index, where wired in, found no case to
  // join), and look the tip up only when the write says it is known.
  let draft = draftCase(tip, deps);
  const year = shanghaiYear(tip.receivedAt);
  const anchor: TipRecord = {
    tipId: tip.tipId,
    source: tip.source,
    externalId: tip.externalId,
    caseId: draft.caseId,
    status: draft.area ? 'routed' : 'triage',
    receivedAt: tip.receivedAt,
    contentHashes: [tip.contentHash],
  };
  let sites: SiteEntry[] = [];
  if (deps.merging && draft.area) {
    const merging = deps.merging;
    const found = await findSameSite(tip, draft.area, draft.caseId, { store: deps.store, merging });
    if (found.match) {
      const joined = await joinCase(tip, { ...found, match: found.match }, { ...deps, merging });
      if (joined.joined) return { outcome: 'merged', record: joined.record, comparison: joined.comparison };
      if (joined.why === 'tip_known') return routeKnownTip(tip, deps);
      // The case closed or filled up meanwhile: the tip opens a case of its own, which lists it.
      found.related.unshift(found.match.record.caseId);
    }
    anchor.site = found.features;
    sites = siteEntries(found.features, {
      area: draft.area,
      caseId: draft.caseId,
      tipId: tip.tipId,
      openedAt: tip.receivedAt,
    });
    if (found.related.length > 0) draft = { ...draft, relatedCaseIds: [...new Set(found.related)] };
  }
  let record: CaseRecord;
  try {
    const numbered = draft;
    record = await deps.store.createCase(
      anchor,
      year,
      (sequence) => ({ ...numbered, caseNo: formatCaseNo(year, sequence) }),
      { sites },
    );
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    // A retry, a redelivery, or another delivery of the same tip that won the race.
    return routeKnownTip(tip, deps, error);
  }
  await sendAssignment(record, deps);
  return { outcome: 'created', record };
}

async function routeKnownTip(tip: CanonicalTip, deps: RouteDeps, error?: Error): Promise<RouteOutcome> {
  const known = await deps.store.getTip(tip.tipId);
  if (!known) throw error ?? new ConditionFailedError(`tip ${tip.tipId} has no anchor`);
  return handleKnownTip(tip, known, deps);
}

/** The new case of a tip, but for its number, which the store gives it as it writes it. */
export function draftCase(
  tip: CanonicalTip,
  deps: Pick<RouteDeps, 'rules' | 'clock'>,
): Omit<CaseRecord, 'caseNo'> {
  const { rules, clock } = deps;
  const now = clock.now().toISOString();
  const routing = rules.route(tip);
  const classification = rules.classify(tip);
  const area = routing.area;
  return {
    caseId: rules.caseIdFor(tip.tipId),
    status: area ? 'assigned' : 'triage',
    area,
    areaName: area ? rules.areaName(area) : null,
    district: routing.district,
    bureau: area ? `bureau:${area}` : 'brigade',
    routing,
    ...(tip.title ? { title: tip.title } : {}),
    description: tip.description,
    location: tip.location,
    violationType: classification.violationType,
    severity: classification.severity,
    severityReasons: classification.severityReasons,
    partners: classification.partners,
    partnerReasons: classification.partnerReasons,
    deadlines: rules.deadlines(tip, classification.severity),
    tips: [{ tipId: tip.tipId, source: tip.source, externalId: tip.externalId, receivedAt: tip.receivedAt }],
    reporter: tip.reporter,
    reporterTipId: tip.tipId,
    events: [
      {
        type: 'created',
        at: now,
        by: 'system',
        note: area ? `分派至${bureauName(area)}` : '无法确定属地，等待监察大队分派',
        tipId: tip.tipId,
      },
    ],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

async function handleKnownTip(tip: CanonicalTip, anchor: TipRecord, deps: RouteDeps): Promise<RouteOutcome> {
  const record = await deps.store.getCase(anchor.caseId);
  if (!record) throw new Error(`Tip ${tip.tipId} points at missing case ${anchor.caseId}`);
  if (anchor.contentHashes.includes(tip.contentHash)) {
    // A retry or redelivery. The earlier delivery may have died before its assignment left, so
    // send it again; the notifier's once-only claim keeps the bureau from hearing it twice. A tip
    // that joined a case sends its supplement instead, never the case's assignment again.
    if (anchor.status === 'merged') await resendJoinNotices(tip, record, deps);
    else await sendAssignment(record, deps);
    return { outcome: 'duplicate', record };
  }
  const now = deps.clock.now().toISOString();
  const amendment: CaseEvent = {
    type: 'amended',
    at: now,
    by: `source:${tip.source}`,
    tipId: tip.tipId,
    note: '来源方重新报送了本举报，内容有更改。',
    amended: amendedContent(tip),
  };
  const updated: CaseRecord = {
    ...record,
    events: [...record.events, amendment],
    updatedAt: now,
    version: record.version + 1,
  };
  const size = checkCaseBudget(updated, deps.budget ?? DEFAULT_CASE_BUDGET);
  if (!size.ok) {
    // The source was answered 202 long ago: refusing now would lose what it sent. Kept beside the
    // case instead; a concurrent record of the same amendment fails and the retry is a duplicate.
    await deps.store.recordUnappliedAmendment(tip.tipId, tip.contentHash, record.caseId, {
      ...amendment,
      note: `来源方重新报送了本举报，内容有更改；案件已达容量上限（${size.maxBytes}字节），更改未并入案件。`,
      unapplied: true,
    });
    return { outcome: 'unapplied', record, bytes: size.bytes, maxBytes: size.maxBytes };
  }
  // A concurrent change surfaces as ConditionFailedError; the message is retried and re-read.
  await deps.store.recordAmendment(tip.tipId, tip.contentHash, updated, record.version);
  return { outcome: 'amended', record: updated };
}

/** What an amendment records: the new content, never the reporter (that stays sealed). */
function amendedContent(tip: CanonicalTip): Record<string, unknown> {
  // What a joining tip keeps too (merging.ts), but for the source's own extra fields.
  const { details: _details, ...content } = contentOf(tip);
  return content;
}

async function sendAssignment(record: CaseRecord, deps: RouteDeps): Promise<void> {
  await deps.queue.send({
    type: 'assignment',
    caseId: record.caseId,
    target: record.bureau,
    snapshot: caseSnapshot(record),
  });
}
