import { describe, expect, it } from 'vitest';
import { shanghaiYear } from '../../shared/domain/calendar.js';
import type { CaseRules } from '../../shared/domain/case-rules.js';
import type { AreaId, Deadline } from '../../shared/domain/model.js';
import { formatCaseNo, routeIncomingTip } from '../../shared/usecases/route-tip.js';
import { canonicalTip } from '../support/canonical-tip.js';
import { ManualClock, MemoryAssignmentQueue, MemoryCaseStore } from '../support/memory-ports.js';

const deadline: Deadline = {
  kind: 'acknowledge',
  dueAt: '2026-11-30T23:59:59+08:00',
  metAt: null,
  breachedAt: null,
};

/** Rules that route by the explicit town field only: the use case is tested apart from the matcher. */
const rules: CaseRules = {
  caseIdFor: (tipId) => tipId.replace('tip_', 'case_'),
  route: (tip) =>
    tip.location.town === '沙家浜镇'
      ? {
          area: 'shajiabang',
          district: 'district-1',
          method: 'town_field',
          matched: '沙家浜镇',
          confidence: 1,
          explanation: 'town field',
        }
      : {
          area: null,
          district: null,
          method: 'none',
          matched: null,
          confidence: 0,
          explanation: 'no place found',
        },
  areaName: (area: AreaId) => ({ shajiabang: '沙家浜镇' })[area as 'shajiabang'] ?? area,
  classify: () => ({
    violationType: 'other',
    severity: 'normal',
    severityReasons: [],
    partners: [],
    partnerReasons: {},
  }),
  deadlines: () => [deadline],
  eventContext: () => {
    throw new Error('not used by the router');
  },
};

function setup() {
  const store = new MemoryCaseStore();
  const queue = new MemoryAssignmentQueue();
  const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));
  return { store, queue, clock, deps: { store, queue, clock, rules } };
}

describe('routeIncomingTip', () => {
  it('creates a case with its area, number and deadlines and assigns it to the bureau queue', async () => {
    const { deps, store, queue } = setup();
    const result = await routeIncomingTip(canonicalTip(), deps);
    expect(result.outcome).toBe('created');
    expect(result.record).toMatchObject({
      caseNo: '2026-000001',
      status: 'assigned',
      area: 'shajiabang',
      areaName: '沙家浜镇',
      district: 'district-1',
      bureau: 'bureau:shajiabang',
      deadlines: [deadline],
    });
    expect(store.cases.size).toBe(1);
    expect(queue.messages).toEqual([
      {
        type: 'assignment',
        caseId: result.record.caseId,
        target: 'bureau:shajiabang',
        snapshot: expect.objectContaining({ caseNo: '2026-000001', area: 'shajiabang' }),
      },
    ]);
    // The snapshot spares the notifier a read, and carries no reporter.
    const snapshot = queue.messages[0]?.type === 'assignment' ? queue.messages[0].snapshot : undefined;
    expect(snapshot).not.toHaveProperty('reporter');
    expect(snapshot).not.toHaveProperty('events');
    expect([...store.tips.values()][0]).toMatchObject({ status: 'routed', caseId: result.record.caseId });
  });

  it('sends an unroutable tip to the brigade as a triage case', async () => {
    const { deps, store, queue } = setup();
    const result = await routeIncomingTip(canonicalTip({ location: { address: '张家港市某村' } }), deps);
    expect(result.record).toMatchObject({ status: 'triage', area: null, bureau: 'brigade' });
    expect(queue.messages[0]?.target).toBe('brigade');
    expect([...store.tips.values()][0]?.status).toBe('triage');
  });

  it('makes one case however often the same tip is delivered, re-sending the assignment each time', async () => {
    const { deps, store, queue } = setup();
    const tip = canonicalTip();
    await routeIncomingTip(tip, deps);
    const again = await routeIncomingTip(tip, deps);
    expect(again.outcome).toBe('duplicate');
    expect(store.cases.size).toBe(1);
    expect(store.sequences.get(2026)).toBe(1);
    // The notifier de-duplicates; the router re-sends in case the first send was lost in a crash.
    expect(queue.messages).toHaveLength(2);
  });

  it('keeps changed content under the same external id as an amendment on the one case', async () => {
    const { deps, store } = setup();
    await routeIncomingTip(canonicalTip(), deps);
    const changed = canonicalTip({ description: '厂房已经封顶' });
    const result = await routeIncomingTip(changed, deps);
    expect(result.outcome).toBe('amended');
    expect(store.cases.size).toBe(1);
    const events = result.record.events.map((event) => event.type);
    expect(events).toEqual(['created', 'amended']);
    expect(result.record.events[1]).toMatchObject({
      by: 'source:12336',
      amended: { description: '厂房已经封顶' },
    });
    // Redelivering the amendment applies it once.
    const again = await routeIncomingTip(changed, deps);
    expect(again.outcome).toBe('duplicate');
    expect((await store.getCase(result.record.caseId))?.events).toHaveLength(2);
  });

  it('treats a lost race for the tip anchor as a redelivery, not an error', async () => {
    const { deps, store } = setup();
    const tip = canonicalTip();
    const [first, second] = await Promise.all([routeIncomingTip(tip, deps), routeIncomingTip(tip, deps)]);
    expect([first.outcome, second.outcome].sort()).toEqual(['created', 'duplicate']);
    expect(store.cases.size).toBe(1);
  });

  it('never copies the reporter into the amendment record', async () => {
    const { deps } = setup();
    await routeIncomingTip(canonicalTip(), deps);
    const result = await routeIncomingTip(
      canonicalTip({
        description: 'changed',
        reporter: { anonymous: false, confidential: false, sealed: 'CANARY' },
      }),
      deps,
    );
    expect(JSON.stringify(result.record.events)).not.toContain('CANARY');
  });
});

describe('case numbers', () => {
  it('counts per Shanghai calendar year of receipt', () => {
    expect(formatCaseNo(2026, 42)).toBe('2026-000042');
    expect(shanghaiYear('2026-12-31T17:00:00Z')).toBe(2027);
    expect(shanghaiYear('2026-12-31T23:30:00+08:00')).toBe(2026);
  });
});
