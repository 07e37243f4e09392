/**
 * Feedback events derived from case events (contract 9), pure: which case events tell the sources
 * what, for which tips, with the contract table's data and stable ids; sequence numbers per tip; and
 * every body the sender would send matching the document's webhook schemas.
 */
import { describe, expect, it } from 'vitest';
import {
  assignSequences,
  FEEDBACK_OF_EVENT,
  FEEDBACK_TYPES,
  type FeedbackType,
  feedbackDrafts,
} from '../../shared/domain/feedback.js';
import { feedbackBodySchema } from '../../shared/domain/feedback-schema.js';
import type { CaseEvent, CaseRecord, TipRef } from '../../shared/domain/model.js';
import { caseRecord } from '../support/case-record.js';

const tip = (n: number, source: TipRef['source'] = '12345'): TipRef => ({
  tipId: `tip_${String(n).repeat(26).slice(0, 26)}`,
  source,
  externalId: `GD${n}`,
  receivedAt: '2026-11-28T10:00:00+08:00',
});
const event = (type: string, fields: Partial<CaseEvent> = {}): CaseEvent => ({
  type,
  at: `2026-11-29T0${Math.min(9, fields.n ? Number(fields.n) : 1)}:00:00.000Z`,
  by: 'bureau:shajiabang',
  ...fields,
});

function withEvents(events: CaseEvent[], overrides: Partial<CaseRecord> = {}): CaseRecord {
  return caseRecord({ tips: [tip(2)], events, ...overrides });
}

const types = (record: CaseRecord, from = 0) => feedbackDrafts(record, from).map((d) => d.type);

describe('feedback derived from case events', () => {
  it('tells the tip of a new case where it went, or that it waits for the brigade', () => {
    const routed = withEvents([event('created', { tipId: tip(2).tipId })]);
    const [draft] = feedbackDrafts(routed);
    expect(draft).toMatchObject({
      type: 'tip.routed',
      tipId: tip(2).tipId,
      source: '12345',
      externalId: 'GD2',
      caseNo: '2026-000042',
      data: { area: 'shajiabang', areaName: '沙家浜镇', dueAt: '2026-12-18T23:59:59+08:00' },
    });
    const triaged = withEvents([event('created', { tipId: tip(2).tipId })], { area: null, areaName: null });
    expect(types(triaged)).toEqual(['tip.triaged']);
  });

  it('sends every case-level event to every tip of the case, in event order', () => {
    const record = withEvents(
      [
        event('created', { tipId: tip(2).tipId }),
        event('acknowledge', { n: 2 }),
        event('comment', { note: 'x' }),
        event('inspect', { n: 3, finding: 'violation_confirmed' }),
        event('approve_extension', { n: 4, dueAt: '2027-01-08T23:59:59+08:00', reason: '需测绘' }),
        event('close', { n: 5, outcome: '已拆除', reply: '已处理', resolution: 'partially_resolved' }),
      ],
      { tips: [tip(2), tip(3, '12336')] },
    );
    const drafts = feedbackDrafts(record);
    expect(drafts.map((d) => `${d.type} ${d.externalId}`)).toEqual([
      'tip.routed GD2',
      'case.acknowledged GD2',
      'case.acknowledged GD3',
      'case.inspected GD2',
      'case.inspected GD3',
      'case.extended GD2',
      'case.extended GD3',
      'case.closed GD2',
      'case.closed GD3',
    ]);
    expect(drafts.find((d) => d.type === 'case.closed')!.data).toEqual({
      outcome: '已拆除',
      reply: '已处理',
      resolution: 'partially_resolved',
    });
    expect(drafts.find((d) => d.type === 'case.extended')!.data).toEqual({
      dueAt: '2027-01-08T23:59:59+08:00',
      reason: '需测绘',
    });
    // Only from the given index on: what a write adds.
    expect(types(record, 4)).toEqual(['case.extended', 'case.extended', 'case.closed', 'case.closed']);
  });

  it('gives each (case event, tip) one stable id, a webhook-id of the Standard Webhooks form', () => {
    const record = withEvents([event('created', { tipId: tip(2).tipId }), event('acknowledge')], {
      tips: [tip(2), tip(3)],
    });
    const first = feedbackDrafts(record).map((d) => d.deliveryId);
    expect(feedbackDrafts(structuredClone(record)).map((d) => d.deliveryId)).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    for (const id of first) expect(id).toMatch(/^msg_[a-z2-7]{26}$/);
  });

  it('sends a return only as case.returned, a withdrawal that closed as case.closed withdrawn', () => {
    const returned = withEvents([
      event('return', {
        reason: '属规划部门职责',
        legalBasis: '《城乡规划法》第六十四条',
        outcome: 'returned',
      }),
    ]);
    expect(feedbackDrafts(returned).map((d) => [d.type, d.data])).toEqual([
      ['case.returned', { reason: '属规划部门职责', legalBasis: '《城乡规划法》第六十四条' }],
    ]);
    const withdrawn = withEvents([
      event('withdrawn', { closed: true }),
      event('withdrawn', { closed: false }),
    ]);
    expect(feedbackDrafts(withdrawn).map((d) => [d.type, d.data])).toEqual([
      ['case.closed', { outcome: 'withdrawn', reply: null, resolution: null }],
    ]);
  });

  it('tells only the merged tip that it joined a case (issue 14), and a reopened case its new deadline', () => {
    const record = withEvents(
      [
        event('tip_merged', { tipId: tip(3).tipId }),
        event('reopened', { dueAt: '2026-12-07T23:59:59+08:00' }),
      ],
      { tips: [tip(2), tip(3)] },
    );
    expect(feedbackDrafts(record).map((d) => `${d.type} ${d.externalId}`)).toEqual([
      'tip.merged GD3',
      'case.reopened GD2',
      'case.reopened GD3',
    ]);
  });

  it('sends nothing for a patrol finding (no tips), nor for events nobody outside hears of', () => {
    expect(feedbackDrafts(withEvents([event('acknowledge')], { tips: [], source: 'patrol' }))).toEqual([]);
    const quiet = [
      'comment',
      'amended',
      'deadline_breached',
      'urged',
      'callback',
      'request_extension',
      'stop',
    ];
    expect(types(withEvents(quiet.map((type) => event(type))))).toEqual([]);
  });

  it('numbers each tip’s events from its last number on', () => {
    const record = withEvents([event('acknowledge'), event('inspect', { finding: 'no_violation' })], {
      tips: [tip(2), tip(3)],
    });
    const { deliveries, counters } = assignSequences(
      feedbackDrafts(record),
      new Map([[tip(2).tipId, 4]]),
      '2026-11-29T02:00:00.000Z',
    );
    expect(deliveries.map((d) => `${d.externalId}#${d.sequence}`)).toEqual([
      'GD2#5',
      'GD3#1',
      'GD2#6',
      'GD3#2',
    ]);
    expect(counters.get(tip(2).tipId)).toEqual({ from: 4, to: 6 });
    expect(counters.get(tip(3).tipId)).toEqual({ from: 0, to: 2 });
    const [first] = deliveries;
    expect(JSON.parse(first!.body)).toEqual(first!.payload);
    expect(first!.payload).toEqual({
      type: 'case.acknowledged',
      timestamp: '2026-11-29T01:00:00.000Z',
      data: {
        tipId: tip(2).tipId,
        externalId: 'GD2',
        caseId: record.caseId,
        caseNo: '2026-000042',
        sequence: 5,
        at: '2026-11-29T01:00:00.000Z',
      },
    });
  });

  it('builds bodies that match the webhook schemas of the API document, never with reporter data', () => {
    const record = withEvents(
      [
        event('created', { tipId: tip(2).tipId }),
        event('reassign', { area: 'guli' }),
        event('acknowledge'),
        event('inspect', { finding: 'violation_confirmed' }),
        event('approve_extension', { dueAt: '2027-01-08T23:59:59+08:00', reason: '需测绘' }),
        event('return', { reason: '不属国土职责', legalBasis: '某法某条' }),
        event('close', { outcome: '已拆除', resolution: 'resolved' }),
        event('withdrawn', { closed: true }),
        event('reopened', { dueAt: '2026-12-07T23:59:59+08:00' }),
        event('tip_merged', { tipId: tip(2).tipId }),
      ],
      { reporter: { anonymous: false, confidential: true, sealed: 'SEALED-张三-13900000000' } },
    );
    const seen = new Set<FeedbackType>();
    const { deliveries } = assignSequences(feedbackDrafts(record), new Map(), '2026-11-29T02:00:00.000Z');
    for (const delivery of deliveries) {
      seen.add(delivery.type);
      const parsed = feedbackBodySchema(delivery.type).strict().safeParse(delivery.payload);
      expect(parsed.success, `${delivery.type}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(delivery.body).not.toMatch(/SEALED|张三|13900000000/);
    }
    expect([...seen].sort()).toEqual(FEEDBACK_TYPES.filter((t) => t !== 'tip.triaged').sort());
  });

  it('maps each listed case event with one line, and every feedback type has a mapping', () => {
    const produced = new Set<string>();
    for (const rule of Object.values(FEEDBACK_OF_EVENT)) {
      const record = withEvents([event('x', { closed: true })]);
      const made = rule(record.events[0]!, record);
      if (made) produced.add(made.type);
    }
    produced.add('tip.triaged');
    expect([...produced].sort()).toEqual([...FEEDBACK_TYPES].sort());
  });
});
