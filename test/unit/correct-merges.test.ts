import { describe, expect, it } from 'vitest';
import { tipSiteFeatures } from '../../shared/composition/merging.js';
import { getJurisdiction } from '../../shared/config/jurisdiction/load.js';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { createCaseRules } from '../../shared/domain/case-rules.js';
import { DEFAULT_DUPLICATE_RULES } from '../../shared/domain/duplicates.js';
import { InvalidTransitionError } from '../../shared/domain/errors.js';
import type { NoticeMessage, Principal } from '../../shared/domain/model.js';
import { type ActDeps, recordCaseEvent } from '../../shared/usecases/act-on-case.js';
import { ForbiddenError, ValidationError } from '../../shared/usecases/errors.js';
import { type RouteDeps, routeIncomingTip } from '../../shared/usecases/route-tip.js';
import { canonicalTip } from '../support/canonical-tip.js';
import { MemoryMergingStore } from '../support/memory-merging.js';
import { ManualClock, MemoryAssignmentQueue } from '../support/memory-ports.js';

const rules = createCaseRules({ jurisdiction: getJurisdiction(), calendar: new WorkingCalendar() });
const brigade: Principal = { kind: 'brigade' };
const bureau: Principal = { kind: 'bureau', area: 'shajiabang' };

function setup() {
  const store = new MemoryMergingStore();
  const queue = new MemoryAssignmentQueue();
  const clock = new ManualClock(new Date('2026-11-27T03:00:00Z'));
  const route: RouteDeps = {
    store,
    queue,
    clock,
    rules,
    merging: { index: store, writes: store, rules: DEFAULT_DUPLICATE_RULES, features: tipSiteFeatures },
  };
  const act: ActDeps = {
    store,
    queue,
    clock,
    eventContext: (now) => rules.eventContext(now),
    corrections: { writes: store, rules: () => rules, features: tipSiteFeatures },
  };
  return { store, queue, clock, route, act };
}

const opening = canonicalTip({ details: { channel: 'phone', subject: '某建材公司' } });
const joining = canonicalTip({
  source: '12345',
  externalId: 'GD202611270001',
  receivedAt: '2026-11-27T09:40:00+08:00',
  description: '唐市社区北面有建材公司在田里造厂房，挖掘机一直在干活',
  location: { address: '沙家浜镇唐市社区', region: '常熟市沙家浜镇' },
  details: {},
});
const elsewhere = canonicalTip({
  source: 'city-management',
  externalId: 'CS2026112700009',
  receivedAt: '2026-11-27T10:00:00+08:00',
  description: '芦荡村某渔家乐在耕地上扩建房屋约300平方米',
  location: { address: '沙家浜镇芦荡村', street: '沙家浜镇', community: '芦荡村' },
  details: { origin: 'inspector' },
});

describe('split (brigade)', () => {
  it('makes the tip its own case, routed as new, with its own assignment', async () => {
    const { store, queue, route, act } = setup();
    const first = await routeIncomingTip(opening, route);
    expect((await routeIncomingTip(joining, route)).outcome).toBe('merged');
    queue.messages.length = 0;

    const left = await recordCaseEvent(
      brigade,
      first.record.caseId,
      { type: 'split', tipId: joining.tipId },
      act,
    );
    expect(left.tips.map((tip) => tip.tipId)).toEqual([opening.tipId]);
    const split = left.events.at(-1)!;
    expect(split).toMatchObject({ type: 'split', by: 'brigade', tipId: joining.tipId });

    const anchor = (await store.getTip(joining.tipId))!;
    expect(anchor).toMatchObject({
      status: 'routed',
      splitFrom: first.record.caseId,
      caseId: split.newCaseId,
    });
    const own = store.cases.get(anchor.caseId)!;
    expect(own).toMatchObject({
      area: 'shajiabang',
      status: 'assigned',
      relatedCaseIds: [first.record.caseId],
      tips: [{ tipId: joining.tipId, source: '12345' }],
      reporterTipId: joining.tipId,
      reporter: joining.reporter,
    });
    expect(own.caseNo).not.toBe(first.record.caseNo);
    // Deadlines from its own receipt, not the case it left.
    const acknowledge = own.deadlines.find((deadline) => deadline.kind === 'acknowledge')!;
    expect(acknowledge.countedFrom).toBe(joining.receivedAt);
    expect(queue.messages).toEqual([
      expect.objectContaining({ type: 'assignment', caseId: own.caseId, target: 'bureau:shajiabang' }),
    ]);
    // Never matched again: the index no longer files it under the case it left.
    expect(
      [...store.sites.values()].filter((entry) => entry.tipId === joining.tipId).map((e) => e.caseId),
    ).not.toContain(first.record.caseId);
  });

  it('is the brigade’s alone, and never splits the tip that opened the case', async () => {
    const { route, act } = setup();
    const first = await routeIncomingTip(opening, route);
    await routeIncomingTip(joining, route);
    await expect(
      recordCaseEvent(bureau, first.record.caseId, { type: 'split', tipId: joining.tipId }, act),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      recordCaseEvent(brigade, first.record.caseId, { type: 'split', tipId: opening.tipId }, act),
    ).rejects.toBeInstanceOf(InvalidTransitionError);
    await expect(
      recordCaseEvent(brigade, first.record.caseId, { type: 'split', tipId: elsewhere.tipId }, act),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('merge (brigade)', () => {
  it('closes this case with outcome merged and moves its tips to the other case', async () => {
    const { store, queue, route, act } = setup();
    const target = await routeIncomingTip(opening, route);
    const other = await routeIncomingTip(elsewhere, route);
    expect(other.outcome).toBe('created');
    queue.messages.length = 0;

    const closed = await recordCaseEvent(
      brigade,
      other.record.caseId,
      { type: 'merge', intoCaseId: target.record.caseId, note: '同一业主', eventId: 'm-1' },
      act,
    );
    expect(closed).toMatchObject({
      status: 'closed',
      mergedInto: target.record.caseId,
      tips: [],
      source: 'city-management',
    });
    expect(closed.events.at(-1)).toMatchObject({
      type: 'merge',
      outcome: 'merged',
      intoCaseId: target.record.caseId,
      tipIds: [elsewhere.tipId],
    });
    const into = store.cases.get(target.record.caseId)!;
    expect(into.tips.map((tip) => tip.tipId)).toEqual([opening.tipId, elsewhere.tipId]);
    expect(into.events.at(-1)).toMatchObject({
      type: 'tip_merged',
      by: 'brigade',
      tipId: elsewhere.tipId,
      fromCaseId: other.record.caseId,
    });
    expect(await store.getTip(elsewhere.tipId)).toMatchObject({
      status: 'merged',
      caseId: target.record.caseId,
      reporter: elsewhere.reporter,
    });
    const supplements = queue.messages.filter((m): m is NoticeMessage => m.type === 'notice');
    expect(supplements.map((m) => m.key)).toEqual([`supplement|${target.record.caseId}|${elsewhere.tipId}`]);
    // Closed: its deadlines no longer count.
    expect(store.cases.get(other.record.caseId)!.status).toBe('closed');

    // The same request again (a lost answer) changes nothing.
    const again = await recordCaseEvent(
      brigade,
      other.record.caseId,
      { type: 'merge', intoCaseId: target.record.caseId, eventId: 'm-1' },
      act,
    );
    expect(again.version).toBe(closed.version);
  });

  it('is the brigade’s alone, and only into another open case of the area', async () => {
    const { store, route, act } = setup();
    const target = await routeIncomingTip(opening, route);
    const other = await routeIncomingTip(elsewhere, route);
    const meili = await routeIncomingTip(
      canonicalTip({
        externalId: '12336-meili',
        location: { address: '常熟市梅李镇珍北村', town: '梅李镇' },
      }),
      route,
    );
    const merge = (caseId: string, intoCaseId: string, who: Principal = brigade) =>
      recordCaseEvent(who, caseId, { type: 'merge', intoCaseId }, act);
    await expect(merge(other.record.caseId, target.record.caseId, bureau)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(merge(other.record.caseId, other.record.caseId)).rejects.toBeInstanceOf(ValidationError);
    await expect(merge(other.record.caseId, 'case_zzzzzzzzzzzzzzzzzzzzzzzzzz')).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(merge(meili.record.caseId, target.record.caseId)).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
    const done = store.cases.get(target.record.caseId)!;
    store.cases.set(done.caseId, { ...done, status: 'closed' });
    await expect(merge(other.record.caseId, target.record.caseId)).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
  });
});
