/**
 * The router's half of 并单 (contract section 10): before a tip becomes a new case, look in the
 * duplicate index for an open case of the same area about the same site, and attach the tip to it
 * instead. What "the same site" means is shared/domain/duplicates.ts; what joining does to the case
 * is shared/domain/merging.ts. The tip's anchor is written in the same transaction as the case it
 * joins, so a redelivered tip finds its anchor and never joins twice, and a tip is in exactly one
 * case whatever fails when.
 */
import { checkCaseBudget, DEFAULT_CASE_BUDGET } from '../domain/case-size.js';
import {
  caseOpenedAt,
  caseOpenFor,
  compareSites,
  type DuplicateRules,
  lookbackDays,
  recurrenceOf,
  type SiteComparison,
  type SiteFeatures,
  siteEntries,
  siteKeysToRead,
} from '../domain/duplicates.js';
import { supplementKey, supplementNotification } from '../domain/merge-notices.js';
import { absorbTip, contentOf } from '../domain/merging.js';
import {
  type AreaId,
  type CanonicalTip,
  type CaseRecord,
  caseSnapshot,
  type TipRecord,
} from '../domain/model.js';
import type { MergeWrites, SiteIndex } from '../ports/merging.js';
import { noticeMessage } from './notices.js';
import type { RouteDeps } from './route-tip.js';
import { UPDATE_ATTEMPTS } from './update-case.js';

export interface MergingDeps {
  index: SiteIndex;
  writes: MergeWrites;
  rules: DuplicateRules;
  /** What the tip says about its site once routed to `area` (places, parties, text…). */
  features(tip: CanonicalTip, area: AreaId): SiteFeatures;
}

export interface SameSite {
  features: SiteFeatures;
  /** The open case the tip should join, best match first. */
  match?: { record: CaseRecord; comparison: SiteComparison };
  /** Earlier cases about the site that the tip cannot join (closed within the recurrence span …). */
  related: string[];
}

const DAY_MS = 86_400_000;

/**
 * The case a tip routed to `area` should join, if any: the index entries under the tip's villages
 * and grid cell (one query each), compared with the tip; then the best-matching cases are read, at
 * most `maxCandidates`, until one is open, of the area and within the window.
 */
export async function findSameSite(
  tip: CanonicalTip,
  area: AreaId,
  ownCaseId: string,
  deps: { store: RouteDeps['store']; merging: MergingDeps },
): Promise<SameSite> {
  const { merging } = deps;
  const features = merging.features(tip, area);
  const keys = siteKeysToRead(features);
  if (keys.length === 0) return { features, related: [] };
  const from = new Date(Date.parse(tip.receivedAt) - lookbackDays(merging.rules) * DAY_MS).toISOString();
  const entries = await merging.index.findSites(area, keys, from);
  const best = new Map<string, SiteComparison>();
  for (const entry of entries) {
    if (entry.caseId === ownCaseId || entry.tipId === tip.tipId) continue;
    const comparison = compareSites(features, entry.features, merging.rules);
    if (!comparison.same) continue;
    const known = best.get(entry.caseId);
    if (!known || comparison.score > known.score) best.set(entry.caseId, comparison);
  }
  const ranked = [...best.entries()].sort(([, a], [, b]) => b.score - a.score);
  const related: string[] = [];
  for (const [caseId, comparison] of ranked.slice(0, merging.rules.maxCandidates)) {
    const record = await deps.store.getCase(caseId);
    if (!record) continue;
    if (caseOpenFor(record, area, tip.receivedAt, merging.rules))
      return { features, match: { record, comparison }, related };
    // Not joinable but about the site: closed within the recurrence span (复发), or still open
    // but opened outside the window.
    const earlier =
      recurrenceOf(record, area, tip.receivedAt, merging.rules) ||
      (record.area === area && record.status !== 'closed' && record.status !== 'triage');
    if (earlier) related.push(record.caseId);
  }
  return { features, related };
}

export type JoinOutcome =
  | { joined: true; record: CaseRecord; comparison: SiteComparison }
  /** The tip has an anchor already: a redelivery, handled as one. */
  | { joined: false; why: 'tip_known' }
  /** The case closed, left the area or reached its size budget meanwhile: make a new case. */
  | { joined: false; why: 'not_open' | 'too_large' };

/**
 * Attaches the tip to the matched case: its anchor (`merged`), the case with the tip, its event and
 * whatever the tip makes graver, and its site entries, in one transaction retried on a fresh read
 * when the case changed meanwhile. Then one `supplement` to the bureau, and the case's assignment
 * message again only when the tip made it major or added partners: the notifier sends each
 * assignment, joint-enforcement and special-report notice once, so only the new ones go out.
 */
export async function joinCase(
  tip: CanonicalTip,
  found: Required<Pick<SameSite, 'match'>> & SameSite,
  deps: RouteDeps & { merging: MergingDeps },
): Promise<JoinOutcome> {
  const { rules, merging } = deps;
  const area = found.match.record.area;
  if (!area) return { joined: false, why: 'not_open' };
  const classification = rules.classify(tip);
  let record: CaseRecord | undefined = found.match.record;
  const { comparison } = found.match;
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    if (attempt > 0) record = await deps.store.getCase(found.match.record.caseId);
    if (!record || !caseOpenFor(record, area, tip.receivedAt, merging.rules))
      return { joined: false, why: 'not_open' };
    const now = deps.clock.now().toISOString();
    const absorbed = absorbTip(record, {
      tip: { tipId: tip.tipId, source: tip.source, externalId: tip.externalId, content: contentOf(tip) },
      classification,
      freshDeadlines: (severity) => rules.deadlines(tip, severity),
      recount: (deadline, severity) => {
        if (!deadline.countedFrom) return undefined;
        const context = rules.eventContext(deps.clock.now());
        const graver = { ...record!, severity };
        return deadline.kind === 'stop'
          ? context.stopDeadline(deadline.countedFrom, graver)
          : context.notifyTownDeadline(deadline.countedFrom, graver);
      },
      reason: comparison.reason,
      similarity: comparison.similarity,
      at: now,
      by: 'system',
    });
    const updated: CaseRecord = { ...absorbed.record, updatedAt: now, version: record.version + 1 };
    if (!checkCaseBudget(updated, deps.budget ?? DEFAULT_CASE_BUDGET).ok)
      return { joined: false, why: 'too_large' };
    const anchor: TipRecord = {
      tipId: tip.tipId,
      source: tip.source,
      externalId: tip.externalId,
      caseId: record.caseId,
      status: 'merged',
      receivedAt: tip.receivedAt,
      contentHashes: [tip.contentHash],
      reporter: tip.reporter,
      site: found.features,
    };
    const sites = siteEntries(found.features, {
      area,
      caseId: record.caseId,
      tipId: tip.tipId,
      openedAt: caseOpenedAt(record),
    });
    const outcome = await merging.writes.attachTip(anchor, updated, record.version, sites);
    if (outcome === 'tip_known') return { joined: false, why: 'tip_known' };
    if (outcome === 'case_changed') continue;
    await sendJoinNotices(tip, updated, deps, {
      reason: comparison.reason,
      becameMajor: absorbed.becameMajor,
      newPartners: absorbed.newPartners,
      tightened: absorbed.tightened,
    });
    return { joined: true, record: updated, comparison };
  }
  // Lost every race for the case: the message is retried and reads it afresh.
  throw new Error(`case ${found.match.record.caseId} is being changed by others; retrying tip ${tip.tipId}`);
}

async function sendJoinNotices(
  tip: CanonicalTip,
  record: CaseRecord,
  deps: RouteDeps,
  change: {
    reason: string;
    becameMajor: boolean;
    newPartners: CaseRecord['partners'];
    tightened: CaseRecord['deadlines'];
  },
): Promise<void> {
  const snapshot = caseSnapshot(record);
  const at = deps.clock.now().toISOString();
  const notice = supplementNotification(snapshot, {
    tipId: tip.tipId,
    source: tip.source,
    externalId: tip.externalId,
    content: contentOf(tip),
    ...change,
  });
  await deps.queue.send(noticeMessage(supplementKey(record.caseId, tip.tipId), notice, at));
  if (change.becameMajor || change.newPartners.length > 0) {
    await deps.queue.send({ type: 'assignment', caseId: record.caseId, target: record.bureau, snapshot });
  }
}

/**
 * A redelivered tip that joined a case: its supplement (and the case's assignment message, should
 * the tip have made it graver) again, which the notifier sends at most once each.
 */
export async function resendJoinNotices(
  tip: CanonicalTip,
  record: CaseRecord,
  deps: RouteDeps,
): Promise<void> {
  const event = [...record.events].reverse().find((e) => e.type === 'tip_merged' && e.tipId === tip.tipId);
  const moved = Array.isArray(event?.deadlinesMoved) ? (event.deadlinesMoved as string[]) : [];
  await sendJoinNotices(tip, record, deps, {
    reason: typeof event?.reason === 'string' ? event.reason : '与本案描述同一地块',
    becameMajor: event?.severity === 'major',
    newPartners: Array.isArray(event?.partnersAdded) ? (event.partnersAdded as CaseRecord['partners']) : [],
    tightened: record.deadlines.filter((deadline) => moved.includes(deadline.kind)),
  });
}
