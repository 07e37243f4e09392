/**
 * The brigade's corrections of 并单 (contract section 10), as case events:
 * - `split {tipId}`: the tip leaves the case and becomes a case of its own, routed as new from its
 *   kept content (area, severity, partners, deadlines counted from its own receipt), with its own
 *   number and assignment, and never matched again;
 * - `merge {intoCaseId}`: this case closes with outcome `merged` and its tips join the other case
 *   (their anchors then say `merged`; the case they join gains a `tip_merged` event per tip, from
 *   which their sources hear `tip.merged`).
 * Each is one transaction over both cases and the anchors, retried on a fresh read when either case
 * changed meanwhile. A merged-away case is closed, so its deadlines stop counting; what the sweeper
 * already wrote to the ledger stays written.
 */
import { shanghaiYear } from '../domain/calendar.js';
import { applyCaseEvent, type CaseEventBody } from '../domain/case-events.js';
import type { CaseRules } from '../domain/case-rules.js';
import { checkCaseBudget, DEFAULT_CASE_BUDGET } from '../domain/case-size.js';
import { caseOpenedAt, type SiteEntry, type SiteFeatures, siteEntries } from '../domain/duplicate-sites.js';
import { InvalidTransitionError } from '../domain/errors.js';
import { deriveCaseId } from '../domain/ids.js';
import { supplementKey, supplementNotification } from '../domain/merge-notices.js';
import {
  type Absorption,
  absorbTip,
  type MergedTipContent,
  tipContents,
  tipFromContent,
} from '../domain/merging.js';
import {
  type AreaId,
  type CanonicalTip,
  type CaseEvent,
  type CaseRecord,
  caseSnapshot,
  caseSource,
  type Principal,
  principalId,
} from '../domain/model.js';
import { ConditionFailedError } from '../ports/index.js';
import type { MergeWrites } from '../ports/merging.js';
import type { ActDeps } from './act-on-case.js';
import {
  CaseTooLargeError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from './errors.js';
import { noticeMessage } from './notices.js';
import { CASE_NOT_FOUND, withEventBodies } from './read-cases.js';
import { draftCase, formatCaseNo } from './route-tip.js';
import { UPDATE_ATTEMPTS } from './update-case.js';

export interface CorrectionDeps {
  writes: MergeWrites;
  /** The case rules: a split-off tip is routed and classified as new. */
  rules(): CaseRules;
  /**
   * A tip's site features in an area, to file a split-off tip under its new case; without it the
   * features its anchor kept (the case API goes without the text matcher and its tables).
   */
  features?(tip: CanonicalTip, area: AreaId): SiteFeatures;
}

type Split = Extract<CaseEventBody, { type: 'split' }>;
type Merge = Extract<CaseEventBody, { type: 'merge' }>;
type Deps = ActDeps & { corrections: CorrectionDeps };

/** Most tips one `merge` moves: both cases and every anchor are one transaction (at most 100 items). */
export const MAX_TIPS_MERGED = 90;

export async function correctMerges(
  principal: Principal,
  caseId: string,
  event: Split | Merge,
  deps: Deps,
): Promise<CaseRecord> {
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const record = await deps.store.getCase(caseId);
    if (!record) throw new NotFoundError(CASE_NOT_FOUND);
    const earlier = event.eventId ? record.events.find((e) => e.eventId === event.eventId) : undefined;
    if (earlier) {
      if (earlier.type !== event.type) throw new ConflictError('该事件编号（eventId）已用于另一事件。');
      return record;
    }
    const decision = applyCaseEvent(record, event, principal, deps.eventContext(deps.clock.now()));
    if (!decision.ok) {
      if (decision.reason === 'forbidden') throw new ForbiddenError(decision.message);
      throw new InvalidTransitionError(decision.message);
    }
    try {
      return event.type === 'split'
        ? await split(record, decision.record, event, principal, deps)
        : await merge(record, decision.record, event, principal, deps);
    } catch (error) {
      // Either case changed since it was read: read both again and decide again.
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  throw new ConflictError('案件正被他人同时修改，请重试。');
}

/** The event as recorded, with what only the use case knows (the case the tips went to…). */
function withEventFacts(record: CaseRecord, facts: Record<string, unknown>): CaseEvent[] {
  const events = [...record.events];
  const last = events.at(-1)!;
  events[events.length - 1] = { ...last, ...facts };
  return events;
}

async function split(
  record: CaseRecord,
  allowed: CaseRecord,
  event: Split,
  principal: Principal,
  deps: Deps,
): Promise<CaseRecord> {
  const tipRef = record.tips.find((tip) => tip.tipId === event.tipId);
  if (!tipRef) {
    throw new ValidationError('该举报不在本案件中。', [{ path: 'tipId', message: '不是本案件的举报' }]);
  }
  if (tipRef.tipId === record.reporterTipId || record.tips.length < 2) {
    throw new InvalidTransitionError(
      '该举报是本案的首件举报，须留在本案；请拆分其他举报，或将本案并入其他案件。',
    );
  }
  const content = tipContents(await withEventBodies(record, deps)).get(tipRef.tipId);
  const anchor = await deps.store.getTip(tipRef.tipId);
  if (!content || !anchor || anchor.caseId !== record.caseId) {
    throw new InvalidTransitionError('本案未保存该举报的内容，无法拆分。');
  }
  const rules = deps.corrections.rules();
  const now = deps.clock.now().toISOString();
  const tip = tipFromContent(tipRef, content, anchor.reporter ?? { anonymous: true });
  const draft = draftCase(tip, { rules, clock: deps.clock });
  // A case of its own, never the id of the case the tip may once have opened (now merged away).
  const newCaseId = deriveCaseId(`${tip.tipId}|split|${record.caseId}|${record.version}`);
  const by = principalId(principal);
  const fresh: Omit<CaseRecord, 'caseNo'> = {
    ...draft,
    caseId: newCaseId,
    relatedCaseIds: [record.caseId],
    events: [
      {
        type: 'created',
        at: now,
        by,
        note: `由案件${record.caseNo}拆分：监察大队认定该举报不属同一违法行为，另行立案`,
        tipId: tip.tipId,
        splitFrom: record.caseId,
      },
    ],
  };
  const from: CaseRecord = {
    ...allowed,
    tips: record.tips.filter((t) => t.tipId !== tip.tipId),
    events: withEventFacts(allowed, { newCaseId, source: tip.source, externalId: tip.externalId }),
  };
  // Filed anew under its new case: its features as the router would compute them where wired in,
  // else the ones its anchor kept (their villages only while the area is the same).
  const kept =
    anchor.site &&
    (draft.area === record.area ? anchor.site : { ...anchor.site, places: [], placeNames: [] });
  const features = draft.area ? (deps.corrections.features?.(tip, draft.area) ?? kept) : undefined;
  const removeSites: SiteEntry[] =
    anchor.site && record.area
      ? siteEntries(anchor.site, {
          area: record.area,
          caseId: record.caseId,
          tipId: tip.tipId,
          openedAt: caseOpenedAt(record),
        })
      : [];
  const sites: SiteEntry[] =
    features && draft.area
      ? siteEntries(features, {
          area: draft.area,
          caseId: newCaseId,
          tipId: tip.tipId,
          openedAt: tip.receivedAt,
        })
      : [];
  const year = shanghaiYear(tip.receivedAt);
  const created = await deps.corrections.writes.splitTip({
    tipId: tip.tipId,
    from,
    fromVersion: record.version,
    removeSites,
    sites,
    year,
    build: (sequence) => ({ ...fresh, caseNo: formatCaseNo(year, sequence) }),
  });
  // Its own assignment, partner notices and special reports, as for any new case.
  await deps.queue.send({
    type: 'assignment',
    caseId: created.caseId,
    target: created.bureau,
    snapshot: caseSnapshot(created),
  });
  return from;
}

async function merge(
  record: CaseRecord,
  allowed: CaseRecord,
  event: Merge,
  principal: Principal,
  deps: Deps,
): Promise<CaseRecord> {
  if (event.intoCaseId === record.caseId) {
    throw new ValidationError('案件不能并入自身。', [{ path: 'intoCaseId', message: '须为另一案件' }]);
  }
  const into = await deps.store.getCase(event.intoCaseId);
  if (!into)
    throw new ValidationError('要并入的案件不存在。', [{ path: 'intoCaseId', message: '案件不存在' }]);
  if (into.status === 'closed') throw new InvalidTransitionError('要并入的案件已办结。');
  if (into.status === 'triage' || !into.area)
    throw new InvalidTransitionError('不能并入待分派案件，请先分派该案件。');
  if (record.area && record.area !== into.area)
    throw new InvalidTransitionError('不能跨辖区并单，请先改派其中一个案件。');
  if (record.tips.length + into.tips.length > MAX_TIPS_MERGED)
    throw new InvalidTransitionError(`并单后一个案件最多含${MAX_TIPS_MERGED}件举报。`);

  const rules = deps.corrections.rules();
  const now = deps.clock.now().toISOString();
  const by = principalId(principal);
  const contents = tipContents(await withEventBodies(record, deps));
  const anchors = new Map(
    (await deps.corrections.writes.getTips(record.tips.map((t) => t.tipId))).map((a) => [a.tipId, a]),
  );
  const reason = `监察大队并单：案件${record.caseNo}并入本案${event.note ? `（${event.note}）` : ''}`;
  let joined = into;
  const changes = new Map<string, { absorbed: Absorption; content: MergedTipContent }>();
  for (const tipRef of record.tips) {
    // Every tip's content is kept (the case's own, or its tip_merged event's); should one be
    // missing, the tip still moves, pointing at the case it came from.
    const content: MergedTipContent = contents.get(tipRef.tipId) ?? {
      receivedAt: tipRef.receivedAt,
      description: `（内容见案件${record.caseNo}）`,
      location: {},
      urgency: 'normal',
      attachments: [],
    };
    const tip = tipFromContent(tipRef, content, { anonymous: true });
    const absorbed = absorbTip(joined, {
      tip: { tipId: tipRef.tipId, source: tipRef.source, externalId: tipRef.externalId, content },
      classification: rules.classify(tip),
      freshDeadlines: (severity) => rules.deadlines(tip, severity),
      recount: (deadline, severity) => {
        if (!deadline.countedFrom) return undefined;
        const context = rules.eventContext(deps.clock.now());
        const graver = { ...joined, severity };
        return deadline.kind === 'stop'
          ? context.stopDeadline(deadline.countedFrom, graver)
          : context.notifyTownDeadline(deadline.countedFrom, graver);
      },
      reason,
      at: now,
      by,
      extra: { fromCaseId: record.caseId, fromCaseNo: record.caseNo },
    });
    joined = absorbed.record;
    changes.set(tipRef.tipId, { absorbed, content });
  }
  const updatedInto: CaseRecord = { ...joined, updatedAt: now, version: into.version + 1 };
  const size = checkCaseBudget(updatedInto, deps.budget ?? DEFAULT_CASE_BUDGET);
  if (!size.ok) {
    throw new CaseTooLargeError(
      `此项并单将使案件${into.caseNo}增至约${size.bytes}字节，超过其容量上限${size.maxBytes}字节；未作任何保存。`,
    );
  }
  const source = caseSource(record);
  const from: CaseRecord = {
    ...allowed,
    status: 'closed',
    mergedInto: into.caseId,
    ...(source ? { source } : {}),
    tips: [],
    events: withEventFacts(allowed, {
      outcome: 'merged',
      intoCaseNo: into.caseNo,
      tipIds: record.tips.map((t) => t.tipId),
    }),
  };
  const sites = record.tips.flatMap((tipRef) => {
    const site = anchors.get(tipRef.tipId)?.site;
    return site
      ? siteEntries(site, {
          area: into.area!,
          caseId: into.caseId,
          tipId: tipRef.tipId,
          openedAt: caseOpenedAt(into),
        })
      : [];
  });
  await deps.corrections.writes.mergeCases({
    from,
    fromVersion: record.version,
    into: updatedInto,
    intoVersion: into.version,
    moved: record.tips.map((tipRef) => ({
      tipId: tipRef.tipId,
      ...(tipRef.tipId === record.reporterTipId ? { reporter: record.reporter } : {}),
    })),
    sites,
  });

  const snapshot = caseSnapshot(updatedInto);
  for (const tipRef of record.tips) {
    const change = changes.get(tipRef.tipId);
    if (!change) continue;
    const { absorbed, content } = change;
    const notice = supplementNotification(snapshot, {
      tipId: tipRef.tipId,
      source: tipRef.source,
      externalId: tipRef.externalId,
      content,
      reason,
      becameMajor: absorbed.becameMajor,
      newPartners: absorbed.newPartners,
      tightened: absorbed.tightened,
      fromCaseNo: record.caseNo,
    });
    await deps.queue.send(noticeMessage(supplementKey(into.caseId, tipRef.tipId), notice, now));
  }
  const graver = [...changes.values()].some(
    ({ absorbed }) => absorbed.becameMajor || absorbed.newPartners.length > 0,
  );
  if (graver)
    await deps.queue.send({ type: 'assignment', caseId: into.caseId, target: into.bureau, snapshot });
  return from;
}
