import { describe, expect, it } from 'vitest';
import { tipSiteFeatures } from '../../shared/composition/merging.js';
import { getJurisdiction } from '../../shared/config/jurisdiction/load.js';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { createCaseRules } from '../../shared/domain/case-rules.js';
import { DEFAULT_DUPLICATE_RULES } from '../../shared/domain/duplicates.js';
import type { CanonicalTip, NoticeMessage, WorkMessage } from '../../shared/domain/model.js';
import { type RouteDeps, routeIncomingTip } from '../../shared/usecases/route-tip.js';
import { canonicalTip } from '../support/canonical-tip.js';
import { MemoryMergingStore } from '../support/memory-merging.js';
import { ManualClock, MemoryAssignmentQueue } from '../support/memory-ports.js';

const rules = createCaseRules({ jurisdiction: getJurisdiction(), calendar: new WorkingCalendar() });

function setup() {
  const store = new MemoryMergingStore();
  const queue = new MemoryAssignmentQueue();
  const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));
  const deps: RouteDeps = {
    store,
    queue,
    clock,
    rules,
    merging: { index: store, writes: store, rules: DEFAULT_DUPLICATE_RULES, features: tipSiteFeatures },
  };
  return { store, queue, clock, deps };
}

// One shed-and-foundation site north of 唐市社区, told three ways (contract 2.1-2.3 shapes).
const from12336 = canonicalTip({
  details: { channel: 'phone', subject: '某建材公司' },
  location: {
    address: '常熟市沙家浜镇唐市社区北侧',
    town: '沙家浜镇',
    point: { lng: 120.81, lat: 31.54, crs: 'wgs84' },
  },
});
const from12345 = canonicalTip({
  source: '12345',
  externalId: 'GD202611270001',
  receivedAt: '2026-11-27T09:40:00+08:00',
  title: '农田里建厂房',
  description: '唐市社区北面有建材公司在田里造厂房，挖掘机一直在干活',
  location: { address: '沙家浜镇唐市社区', region: '常熟市沙家浜镇' },
  details: { appealType: 'report' },
});
const fromInspector = canonicalTip({
  source: 'city-management',
  externalId: 'CS2026112700003',
  receivedAt: '2026-11-27T10:05:00+08:00',
  description: '唐市社区北侧基本农田内开挖地基，拟建厂房，当事人某建材公司',
  location: {
    address: '沙家浜镇唐市社区',
    street: '沙家浜镇',
    community: '唐市社区',
    point: { lng: 120.8106, lat: 31.5404, crs: 'cgcs2000' },
  },
  details: { origin: 'inspector' },
});
// Same village, another site: a car park poured on vegetable plots south of the community.
const otherSite = canonicalTip({
  source: '12345',
  externalId: 'GD202611270002',
  receivedAt: '2026-11-27T10:30:00+08:00',
  description: '唐市社区南边菜地被人浇成水泥地做停车场收费',
  location: { address: '沙家浜镇唐市社区', region: '常熟市沙家浜镇' },
  details: {},
});

const notices = (messages: WorkMessage[]) =>
  messages.filter((message): message is NoticeMessage => message.type === 'notice');
const assignments = (messages: WorkMessage[]) => messages.filter((message) => message.type === 'assignment');

async function routeAll(deps: RouteDeps, tips: CanonicalTip[]) {
  const outcomes = [];
  for (const tip of tips) outcomes.push(await routeIncomingTip(tip, deps));
  return outcomes;
}

describe('routing with the duplicate index (并单)', () => {
  it('makes one case of three tips from three sources about one site', async () => {
    const { deps, store, queue } = setup();
    const [first, second, third] = await routeAll(deps, [from12336, from12345, fromInspector]);
    expect(first!.outcome).toBe('created');
    expect(second!.outcome).toBe('merged');
    expect(third!.outcome).toBe('merged');
    expect(store.cases.size).toBe(1);
    const record = store.cases.get(first!.record.caseId)!;
    expect(record.tips.map((tip) => tip.source)).toEqual(['12336', '12345', 'city-management']);
    const merged = record.events.filter((event) => event.type === 'tip_merged');
    expect(merged.map((event) => event.tipId)).toEqual([from12345.tipId, fromInspector.tipId]);
    for (const event of merged) {
      expect(event.by).toBe('system');
      expect(event.reason).toMatch(/^同在唐市社区，|^两点相距/);
      expect(typeof event.similarity).toBe('number');
      expect(event.content).toMatchObject({ description: expect.any(String) });
    }
    // The anchors say merged, into that case; the tip's own reporter is kept sealed on its anchor.
    for (const tip of [from12345, fromInspector]) {
      expect(await store.getTip(tip.tipId)).toMatchObject({
        status: 'merged',
        caseId: record.caseId,
        reporter: tip.reporter,
      });
    }
    // One assignment (with its partner and special-report notices), one supplement per extra tip.
    expect(assignments(queue.messages)).toHaveLength(1);
    const supplements = notices(queue.messages);
    expect(supplements.map((message) => message.key)).toEqual([
      `supplement|${record.caseId}|${from12345.tipId}`,
      `supplement|${record.caseId}|${fromInspector.tipId}`,
    ]);
    for (const { notification } of supplements) {
      expect(notification).toMatchObject({
        kind: 'supplement',
        audience: 'bureau',
        target: 'bureau:shajiabang',
        caseId: record.caseId,
      });
      expect([...notification.sms].length).toBeLessThanOrEqual(70);
      expect(notification.subject).toContain(record.caseNo);
      expect(notification.email).toContain('并单依据：');
      expect(notification.email).not.toContain('sealed-identity');
    }
  });

  it('never joins a tip twice when it is delivered again', async () => {
    const { deps, store, queue } = setup();
    await routeAll(deps, [from12336, from12345]);
    const again = await routeIncomingTip(from12345, deps);
    expect(again.outcome).toBe('duplicate');
    const record = [...store.cases.values()][0]!;
    expect(record.tips).toHaveLength(2);
    expect(record.events.filter((event) => event.type === 'tip_merged')).toHaveLength(1);
    // The supplement is handed over again under the same key (the notifier sends it once), never
    // the case's assignment.
    expect(notices(queue.messages).map((message) => message.key)).toEqual([
      `supplement|${record.caseId}|${from12345.tipId}`,
      `supplement|${record.caseId}|${from12345.tipId}`,
    ]);
    expect(assignments(queue.messages)).toHaveLength(1);
  });

  it('gives a tip about another site of the same village its own case', async () => {
    const { deps, store } = setup();
    const outcomes = await routeAll(deps, [from12336, from12345, otherSite]);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['created', 'merged', 'created']);
    expect(store.cases.size).toBe(2);
  });

  it('files and reads the index by area and place: a query per key, never a scan', async () => {
    const { deps, store } = setup();
    await routeIncomingTip(from12336, deps);
    // 唐市社区 and the 2×2 grid block around the point.
    expect([...store.sites.values()].map((entry) => entry.key.slice(0, 2)).sort()).toEqual([
      'G:',
      'G:',
      'G:',
      'G:',
      'P:',
    ]);
    store.siteQueries = 0;
    await routeIncomingTip(from12345, deps);
    expect(store.siteQueries).toBe(1);
  });

  it('opens a new case about the site of a case closed within a year, listing it (复发)', async () => {
    const { deps, store, clock } = setup();
    const [first] = await routeAll(deps, [from12336]);
    const closed = store.cases.get(first!.record.caseId)!;
    store.cases.set(closed.caseId, {
      ...closed,
      status: 'closed',
      events: [...closed.events, { type: 'close', at: '2026-12-20T02:00:00.000Z', by: 'bureau:shajiabang' }],
    });
    clock.set('2027-03-01T02:00:00Z');
    const recurring = canonicalTip({
      ...from12345,
      externalId: 'GD202703010001',
      receivedAt: '2027-03-01T09:00:00+08:00',
    });
    const outcome = await routeIncomingTip(recurring, deps);
    expect(outcome.outcome).toBe('created');
    expect(outcome.record.relatedCaseIds).toEqual([closed.caseId]);
  });

  it('never joins a case opened outside the window', async () => {
    const { deps, clock } = setup();
    await routeAll(deps, [from12336]);
    clock.set('2027-02-01T02:00:00Z');
    const late = canonicalTip({
      ...from12345,
      externalId: 'GD202702010001',
      receivedAt: '2027-02-01T09:00:00+08:00',
    });
    const outcome = await routeIncomingTip(late, deps);
    expect(outcome.outcome).toBe('created');
  });

  it('makes the case major when the joining tip is, with its deadlines and special reports', async () => {
    const { deps, store, queue } = setup();
    const [first] = await routeAll(deps, [from12345]);
    expect(first!.record.severity).toBe('normal');
    const urgent = canonicalTip({ ...fromInspector, urgency: 'urgent' });
    const outcome = await routeIncomingTip(urgent, deps);
    expect(outcome.outcome).toBe('merged');
    const record = store.cases.get(first!.record.caseId)!;
    expect(record.severity).toBe('major');
    // Acknowledge within 2 hours of the urgent tip's receipt, as for a new major case.
    const acknowledge = record.deadlines.find((deadline) => deadline.kind === 'acknowledge')!;
    expect(Date.parse(acknowledge.dueAt)).toBe(Date.parse(urgent.receivedAt) + 2 * 3_600_000);
    // The assignment message again, with the major case: only the new notices (special reports,
    // police) go out, the notifier's once-only keys skip the rest.
    const sent = assignments(queue.messages);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ snapshot: { severity: 'major' } });
    expect(record.partners).toContain('police');
  });

  it('leaves a triage tip alone, and never merges across areas', async () => {
    const { deps, store } = setup();
    await routeAll(deps, [from12336]);
    const nowhere = canonicalTip({
      externalId: '12336-nowhere',
      location: { address: '村东头那块地' },
      details: { subject: '某建材公司' },
    });
    const elsewhere = canonicalTip({
      externalId: '12336-elsewhere',
      location: {
        address: '常熟市梅李镇珍北村',
        town: '梅李镇',
        point: { lng: 120.81, lat: 31.54, crs: 'wgs84' },
      },
      details: { subject: '某建材公司' },
    });
    const outcomes = await routeAll(deps, [nowhere, elsewhere]);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['created', 'created']);
    expect(outcomes[0]!.record.status).toBe('triage');
    expect(store.cases.size).toBe(3);
  });
});
