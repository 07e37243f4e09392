/**
 * End to end over HTTP against a local run with 并单 on (contract section 10): three tips from three
 * sources about one site make one case with three tips, one assignment, one set of partner notices
 * and one `supplement` per extra tip; a fourth tip about another site of the same village makes its
 * own case; the brigade's `split` gives a tip back its own routed case and assignment, its `merge`
 * closes a case with outcome `merged` and the moved tip then says `merged`; bureaus may do neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make12336Tip, make12345Tip, makeCityManagementTip } from '../fixtures/tips.js';
import {
  DEV_BRIGADE_TOKEN,
  startTestStack,
  submitAndRoute,
  type TestLocalStack,
} from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

// biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field.
type Json = Record<string, any>;

const BUREAU_TOKEN = 'dev-bureau-shajiabang';
let stack: TestLocalStack;
const run = String(Date.now()).slice(-8);

beforeAll(async () => {
  stack = await startTestStack({ mergeDuplicates: true });
});

afterAll(async () => {
  await stack?.cleanup();
});

async function api(path: string, token = DEV_BRIGADE_TOKEN, body?: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const outboxOf = async (caseId: string) =>
  (await readOutbox<Json>(stack.outboxFile)).filter((line) => line.caseId === caseId);
const kinds = (lines: Json[], kind: string) => lines.filter((line) => line.kind === kind);

// One site: a building-materials firm digging foundations for a factory on basic farmland north of
// 唐市社区 (沙家浜镇), as a 12336 caller, a 12345 caller and a 数字城管 inspector tell it.
const caller12336 = make12336Tip({ reportId: `12336-merge-${run}` });
const caller12345 = make12345Tip({
  orderNo: `GD-merge-${run}`,
  title: '农田里建厂房',
  content: '唐市社区北面有建材公司在田里造厂房，挖掘机一直在干活',
  address: '沙家浜镇唐市社区',
  region: '常熟市沙家浜镇',
});
const inspector = makeCityManagementTip({
  case: {
    caseNo: `CS-merge-${run}`,
    description: '唐市社区北侧基本农田内开挖地基，拟建厂房，当事人某建材公司',
    location: {
      description: '沙家浜镇唐市社区北侧',
      street: '沙家浜镇',
      community: '唐市社区',
      lng: 120.8106,
      lat: 31.5404,
      crs: 'cgcs2000',
    },
  },
});
// Another site of the same community: vegetable plots south of it poured over for a car park.
const otherSite = make12345Tip({
  orderNo: `GD-merge-other-${run}`,
  title: '菜地变停车场',
  content: '唐市社区南边菜地被人浇成水泥地做停车场收费',
  address: '沙家浜镇唐市社区南侧',
  region: '常熟市沙家浜镇',
});

let caseId: string;
let otherCaseId: string;
const tipIds: Record<string, string> = {};

async function routed(source: '12336' | '12345' | 'city-management', body: Json, name: string) {
  const id = await submitAndRoute(stack, source, body);
  const tipId = (await api(`/v1/cases/${id}`)).body.tips.find(
    (tip: Json) => tip.externalId === (body.reportId ?? body.orderNo ?? body.case?.caseNo),
  )?.tipId;
  tipIds[name] = tipId;
  return id;
}

describe('one case per violation (并单)', () => {
  it('makes one case of three tips from three sources about one site', async () => {
    // One after another, as they arrive over days: each is routed before the next comes in.
    caseId = await routed('12336', caller12336, '12336');
    expect(await routed('12345', caller12345, '12345')).toBe(caseId);
    expect(await routed('city-management', inspector, 'city')).toBe(caseId);
    await stack.settle();

    const record = (await api(`/v1/cases/${caseId}`)).body;
    expect(record.tips.map((tip: Json) => tip.source)).toEqual(['12336', '12345', 'city-management']);
    const merged = record.events.filter((event: Json) => event.type === 'tip_merged');
    expect(merged.map((event: Json) => event.tipId)).toEqual([tipIds['12345'], tipIds.city]);
    for (const event of merged) expect(event.reason).toMatch(/同在唐市社区|两点相距/);

    expect((await api(`/v1/tips/${tipIds['12336']}`)).body).toMatchObject({ status: 'routed', caseId });
    for (const name of ['12345', 'city'])
      expect((await api(`/v1/tips/${tipIds[name]}`)).body).toMatchObject({ status: 'merged', caseId });

    const lines = await outboxOf(caseId);
    expect(kinds(lines, 'assignment')).toHaveLength(1);
    const partnerTargets = kinds(lines, 'joint_enforcement').map((line) => line.target);
    expect(partnerTargets.sort()).toEqual(record.partners.map((p: string) => `partner:${p}`).sort());
    const supplements = kinds(lines, 'supplement');
    expect(supplements).toHaveLength(2);
    for (const line of supplements) {
      expect(line).toMatchObject({ audience: 'bureau', target: 'bureau:shajiabang' });
      expect([...line.sms].length).toBeLessThanOrEqual(70);
    }
    // The contract examples' reporters (12336 张三, 12345 李女士) appear in no notice.
    const text = JSON.stringify(lines);
    for (const identity of ['张三', '13912345678', '李女士', '13800000000'])
      expect(text).not.toContain(identity);
  });

  it('gives a tip about another site of the same village its own case', async () => {
    otherCaseId = await routed('12345', otherSite, 'other');
    expect(otherCaseId).not.toBe(caseId);
    expect((await api(`/v1/tips/${tipIds.other}`)).body).toMatchObject({
      status: 'routed',
      caseId: otherCaseId,
    });
  });

  it('lets only the brigade split a tip off, into its own routed case with its own assignment', async () => {
    const refused = await api(`/v1/cases/${caseId}/events`, BUREAU_TOKEN, {
      type: 'split',
      tipId: tipIds['12345'],
    });
    expect(refused.status).toBe(403);

    const split = await api(`/v1/cases/${caseId}/events`, DEV_BRIGADE_TOKEN, {
      type: 'split',
      tipId: tipIds['12345'],
    });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    expect(split.body.tips.map((tip: Json) => tip.tipId)).not.toContain(tipIds['12345']);
    expect(split.body.events.at(-1)).toMatchObject({ type: 'split', by: 'brigade', tipId: tipIds['12345'] });

    const tip = (await api(`/v1/tips/${tipIds['12345']}`)).body;
    expect(tip).toMatchObject({ status: 'routed' });
    expect(tip.caseId).not.toBe(caseId);
    const own = (await api(`/v1/cases/${tip.caseId}`)).body;
    expect(own).toMatchObject({ area: 'shajiabang', status: 'assigned', relatedCaseIds: [caseId] });
    await stack.settle();
    expect(kinds(await outboxOf(tip.caseId), 'assignment')).toHaveLength(1);
  });

  it('lets only the brigade merge a case into another, closing it with outcome merged', async () => {
    const body = { type: 'merge', intoCaseId: caseId, note: '经核实为同一地块' };
    expect((await api(`/v1/cases/${otherCaseId}/events`, BUREAU_TOKEN, body)).status).toBe(403);

    const merged = await api(`/v1/cases/${otherCaseId}/events`, DEV_BRIGADE_TOKEN, body);
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ status: 'closed', mergedInto: caseId, tips: [] });
    expect(merged.body.events.at(-1)).toMatchObject({ type: 'merge', outcome: 'merged', intoCaseId: caseId });

    expect((await api(`/v1/tips/${tipIds.other}`)).body).toMatchObject({ status: 'merged', caseId });
    const into = (await api(`/v1/cases/${caseId}`)).body;
    expect(into.tips.map((tip: Json) => tip.tipId)).toContain(tipIds.other);
    expect(into.events.at(-1)).toMatchObject({ type: 'tip_merged', tipId: tipIds.other, by: 'brigade' });
    await stack.settle();
    expect(kinds(await outboxOf(caseId), 'supplement')).toHaveLength(3);
    // Nothing but a comment after close.
    const again = await api(`/v1/cases/${otherCaseId}/events`, DEV_BRIGADE_TOKEN, body);
    expect(again.status).toBe(409);
  });
});
