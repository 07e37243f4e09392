import { describe, expect, it } from 'vitest';
import type { CaseRules } from '../../shared/domain/case-rules.js';
import {
  boundListEvents,
  checkCaseBudget,
  DEFAULT_CASE_BUDGET,
  INLINE_EVENT_BYTES,
  jsonBytes,
  LIST_TRIMMED_EVENTS,
  storedCase,
  storedCaseBytes,
} from '../../shared/domain/case-size.js';
import type { CaseEvent, Principal } from '../../shared/domain/model.js';
import { recordCaseEvent } from '../../shared/usecases/act-on-case.js';
import { CaseTooLargeError } from '../../shared/usecases/errors.js';
import { withEventBodies } from '../../shared/usecases/read-cases.js';
import { routeIncomingTip } from '../../shared/usecases/route-tip.js';
import { canonicalTip } from '../support/canonical-tip.js';
import { caseRecord } from '../support/case-record.js';
import { ManualClock, MemoryAssignmentQueue, MemoryCaseStore } from '../support/memory-ports.js';

const rules: CaseRules = {
  caseIdFor: (tipId) => tipId.replace('tip_', 'case_'),
  route: () => ({
    area: 'shajiabang',
    district: 'district-1',
    method: 'town_field',
    matched: '沙家浜镇',
    confidence: 1,
    explanation: 'town field',
  }),
  areaName: () => '沙家浜镇',
  classify: () => ({
    violationType: 'other',
    severity: 'normal',
    severityReasons: [],
    partners: [],
    partnerReasons: {},
  }),
  deadlines: () => [
    { kind: 'acknowledge', dueAt: '2026-11-30T23:59:59+08:00', metAt: null, breachedAt: null },
  ],
  eventContext: (now) => ({
    now,
    stopDeadline: () => ({ kind: 'stop', dueAt: '2026-12-03T23:59:59+08:00', metAt: null, breachedAt: null }),
    notifyTownDeadline: () => ({
      kind: 'notify_town',
      dueAt: '2026-12-04T23:59:59+08:00',
      metAt: null,
      breachedAt: null,
    }),
    area: () => ({ name: '沙家浜镇', district: 'district-1' }),
  }),
};

const brigade: Principal = { kind: 'brigade' };

/** The reported tip: a 5,000-character description and 20 long attachment URLs, about 57 KB. */
function largeTip(version: number) {
  return canonicalTip({
    description: `${'在基本农田上违法建设厂房，'.repeat(384)}第${version}次补充`.slice(0, 5_000),
    attachments: Array.from({ length: 20 }, (_, i) => ({
      url: `https://files.example.cn/evidence/${version}/${i}/${'x'.repeat(2_000)}.jpg`,
      type: 'image/jpeg',
    })),
  });
}

function setup(budget = DEFAULT_CASE_BUDGET) {
  const store = new MemoryCaseStore();
  const queue = new MemoryAssignmentQueue();
  const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));
  return {
    store,
    queue,
    clock,
    route: { store, queue, clock, rules, budget },
    act: { store, queue, clock, budget, eventContext: (now: Date) => rules.eventContext(now) },
  };
}

const comment = (i: number) => ({ type: 'comment' as const, note: `第${i}条意见：${'现场'.repeat(995)}` });

describe('the case byte budget', () => {
  it('keeps small events inline and stores each large one beside the case, summarized and referenced', () => {
    const small: CaseEvent = {
      type: 'comment',
      at: '2026-11-28T00:00:00Z',
      by: 'brigade',
      note: '已电话联系',
    };
    const large: CaseEvent = { ...small, note: '很长的意见'.repeat(400), eventId: 'e-1' };
    const { record, bodies } = storedCase(caseRecord({ events: [small, large] }));
    expect(record.events[0]).toEqual(small);
    expect(bodies).toEqual([{ ref: expect.stringMatching(/^EVENT#000001#[0-9a-f]{8}$/), event: large }]);
    expect(record.events[1]).toEqual({
      type: 'comment',
      at: small.at,
      by: 'brigade',
      eventId: 'e-1',
      note: `${large.note!.slice(0, 120)}…`,
      body: { ref: bodies[0]!.ref, bytes: jsonBytes(large) },
    });
    expect(jsonBytes(record.events[1])).toBeLessThan(INLINE_EVENT_BYTES);
    // Stored again, a summarized case stays as it is: nothing is written twice.
    expect(storedCase(record)).toEqual({ record, bodies: [] });
  });

  it('takes the reported case (6 large amendments, 60 long comments) well within budget, every event readable', async () => {
    const { store, route, act, clock } = setup();
    for (let version = 0; version <= 6; version++) {
      clock.advance(60_000);
      await routeIncomingTip(largeTip(version), route);
    }
    const caseId = [...store.cases.keys()][0]!;
    for (let i = 0; i < 60; i++) {
      clock.advance(1_000);
      await recordCaseEvent(brigade, caseId, comment(i), act);
    }
    const stored = (await store.getCase(caseId))!;
    expect(stored.events.filter((e) => e.type === 'amended')).toHaveLength(6);
    expect(stored.events.filter((e) => e.type === 'comment')).toHaveLength(60);
    expect(jsonBytes(stored)).toBeLessThan(60_000);

    const full = await withEventBodies(stored, { store });
    const amendments = full.events.filter((e) => e.type === 'amended');
    expect(amendments.map((e) => (e.amended as { attachments: unknown[] }).attachments.length)).toEqual(
      Array(6).fill(20),
    );
    expect(full.events.filter((e) => e.type === 'comment').map((e) => e.note)).toEqual(
      Array.from({ length: 60 }, (_, i) => comment(i).note),
    );
    expect(full.events.some((e) => e.body)).toBe(false);
  });

  it('refuses an event that would grow a case past its budget with case_too_large, storing nothing', async () => {
    const { store, route, act } = setup({ maxCaseBytes: 12_000 });
    const { record } = await routeIncomingTip(canonicalTip(), route);
    let accepted = 0;
    let refused: unknown;
    for (let i = 0; i < 200 && !refused; i++) {
      await recordCaseEvent(brigade, record.caseId, { type: 'comment', note: `短评${i}` }, act).then(
        () => accepted++,
        (error: unknown) => (refused = error),
      );
    }
    expect(accepted).toBeGreaterThan(10);
    expect(refused).toBeInstanceOf(CaseTooLargeError);
    expect((refused as Error).message).toMatch(
      /^此项备注将使案件2026-000001增至约\d+字节，超过其容量上限12000字节；未作任何保存。$/,
    );
    const stored = (await store.getCase(record.caseId))!;
    expect(stored.events.filter((e) => e.type === 'comment')).toHaveLength(accepted);
    expect(checkCaseBudget(stored, { maxCaseBytes: 12_000 }).ok).toBe(true);
    // The sweeper is not a request: it still records a breach on the full case.
    expect(storedCaseBytes(stored)).toBeLessThanOrEqual(12_000);
  });

  it('keeps an amendment a full case cannot take beside it: listed with its content, never lost, once', async () => {
    const { store, route, act, clock } = setup({ maxCaseBytes: 12_000 });
    const { record } = await routeIncomingTip(largeTip(0), route);
    for (let i = 0; ; i++) {
      const refused = await recordCaseEvent(
        brigade,
        record.caseId,
        { type: 'comment', note: `短评${i}` },
        act,
      )
        .then(() => false)
        .catch(() => true);
      if (refused) break;
    }
    const before = (await store.getCase(record.caseId))!;
    clock.advance(60_000);
    const outcome = await routeIncomingTip(largeTip(1), route);
    expect(outcome).toMatchObject({ outcome: 'unapplied', maxBytes: 12_000 });
    // The case itself is untouched; the redelivery is a duplicate, not a second record.
    expect((await store.getCase(record.caseId))!.version).toBe(before.version);
    expect((await routeIncomingTip(largeTip(1), route)).outcome).toBe('duplicate');
    expect(store.unapplied.get(record.caseId)).toHaveLength(1);

    const full = await withEventBodies(before, { store });
    const last = full.events.at(-1)!;
    expect(last).toMatchObject({ type: 'amended', unapplied: true, tipId: largeTip(1).tipId });
    expect((last.amended as { description: string }).description).toBe(largeTip(1).description);
  });

  it('inlines referenced bodies oldest first up to the read limit, and references the rest', async () => {
    const { store, route, act } = setup();
    const { record } = await routeIncomingTip(canonicalTip(), route);
    for (let i = 0; i < 3; i++) await recordCaseEvent(brigade, record.caseId, comment(i), act);
    const stored = (await store.getCase(record.caseId))!;
    const bytes = jsonBytes({ ...comment(0), at: '', by: '' });
    const full = await withEventBodies(stored, { store }, bytes * 2 + 200);
    const comments = full.events.filter((e) => e.type === 'comment');
    expect(comments.map((e) => Boolean(e.body))).toEqual([false, false, true]);
    expect(comments[2]!.body).toMatchObject({
      ref: expect.stringMatching(/^EVENT#/),
      bytes: expect.any(Number),
    });
  });

  it('keeps a list page within its answer size by giving its largest cases their latest events only', () => {
    const events = (n: number, size: number): CaseEvent[] =>
      Array.from({ length: n }, (_, i) => ({
        type: 'comment',
        at: `t${i}`,
        by: 'brigade',
        note: 'x'.repeat(size),
      }));
    const small = caseRecord({ caseId: 'case_small', events: events(30, 10) });
    const large = caseRecord({ caseId: 'case_large', events: events(100, 900) });
    expect(boundListEvents([small, large], 1_000_000)).toEqual([small, large]);

    const bounded = boundListEvents([small, large], 30_000);
    expect(bounded[0]).toBe(small);
    expect(bounded[1]).toMatchObject({ caseId: 'case_large', eventsOmitted: 100 - LIST_TRIMMED_EVENTS });
    expect(bounded[1]!.events).toEqual(large.events.slice(-LIST_TRIMMED_EVENTS));
    expect(jsonBytes(bounded)).toBeLessThan(30_000);
  });
});
