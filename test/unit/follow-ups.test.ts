/**
 * What the sources say back (contract 9): 12345 urges, callbacks and withdrawals and 数字城管 urges
 * and cancellations on the intake endpoint (202 with the original tip id, 404 unknown_tip, 422 for
 * other events), and how the router applies them to the tip's case, once per webhook-id.
 */
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { UnsupportedEventError } from '../../shared/domain/errors.js';
import { applyFollowUp, type FollowUpMessage, parseFollowUpMessage } from '../../shared/domain/follow-ups.js';
import { deriveTipId } from '../../shared/domain/ids.js';
import type { CaseRecord, NoticeMessage, TipRecord } from '../../shared/domain/model.js';
import { acceptTip } from '../../shared/usecases/accept-tip.js';
import { applySourceFollowUp } from '../../shared/usecases/apply-follow-up.js';
import { UnknownTipError, ValidationError } from '../../shared/usecases/errors.js';
import { make12345Tip } from '../fixtures/tips.js';
import { caseRecord } from '../support/case-record.js';
import { FakeVault, ManualClock, MemoryAssignmentQueue, MemoryCaseStore } from '../support/memory-ports.js';

const NOW = new Date('2026-12-02T02:00:00Z');
const ORDER = 'GD202611280123';
const TIP_ID = deriveTipId('12345', ORDER);
const CASE_TIP = {
  tipId: TIP_ID,
  source: '12345' as const,
  externalId: ORDER,
  receivedAt: '2026-11-28T10:02:11+08:00',
};

function intake(known = true) {
  const followUps: FollowUpMessage[] = [];
  const tips: TipRecord[] = [];
  const queue = {
    messages: tips,
    async enqueue() {},
    async enqueueFollowUp(message: FollowUpMessage) {
      followUps.push(structuredClone(message));
    },
  };
  const lookup = {
    async getTip(tipId: string): Promise<TipRecord | undefined> {
      return known && tipId === TIP_ID
        ? {
            tipId,
            source: '12345',
            externalId: ORDER,
            caseId: 'case_x',
            status: 'routed',
            receivedAt: '',
            contentHashes: [],
          }
        : undefined;
    },
  };
  return { followUps, deps: { queue, vault: new FakeVault(), clock: new ManualClock(NOW), tips: lookup } };
}

describe('follow-ups on the intake endpoint', () => {
  it('queues a 12345 urge, callback and withdrawal under the original tip id', async () => {
    const { deps, followUps } = intake();
    const bodies = [
      { eventType: 'order.urged', orderNo: ORDER, at: '2026-12-02T09:30:00+08:00', note: '市民催办' },
      { eventType: 'order.callback', orderNo: ORDER, satisfaction: 'dissatisfied', comment: '还在建' },
      { eventType: 'order.withdrawn', orderNo: ORDER, reason: '撤回' },
    ];
    for (const [index, body] of bodies.entries()) {
      expect(await acceptTip({ source: '12345', body, webhookId: `msg_${index}` }, deps)).toEqual({
        tipId: TIP_ID,
        status: 'queued',
      });
    }
    expect(followUps.map((f) => [f.kind, f.webhookId, f.at, f.note, f.satisfaction])).toEqual([
      ['urge', 'msg_0', '2026-12-02T09:30:00+08:00', '市民催办', undefined],
      ['callback', 'msg_1', NOW.toISOString(), '还在建', 'dissatisfied'],
      ['withdraw', 'msg_2', NOW.toISOString(), '撤回', undefined],
    ]);
    for (const message of followUps) expect(parseFollowUpMessage(message)).toEqual(message);
  });

  it('queues 数字城管 urges and cancellations (cancelled means withdrawn)', async () => {
    const { deps, followUps } = intake();
    deps.tips.getTip = async (tipId) =>
      tipId === deriveTipId('city-management', 'CS1')
        ? {
            tipId,
            source: 'city-management',
            externalId: 'CS1',
            caseId: 'c',
            status: 'routed',
            receivedAt: '',
            contentHashes: [],
          }
        : undefined;
    for (const eventType of ['case.urged', 'case.cancelled']) {
      await acceptTip(
        {
          source: 'city-management',
          body: { eventType, case: { caseNo: 'CS1', note: 'n' } },
          webhookId: eventType,
        },
        deps,
      );
    }
    expect(followUps.map((f) => f.kind)).toEqual(['urge', 'withdraw']);
  });

  it('answers 404 unknown_tip for an id never seen, and queues nothing', async () => {
    const { deps, followUps } = intake(false);
    await expect(
      acceptTip(
        { source: '12345', body: { eventType: 'order.urged', orderNo: ORDER }, webhookId: 'm' },
        deps,
      ),
    ).rejects.toBeInstanceOf(UnknownTipError);
    expect(followUps).toEqual([]);
  });

  it('answers 422 for any other eventType, and treats order.created or none as a tip', async () => {
    const { deps } = intake();
    await expect(
      acceptTip(
        { source: '12345', body: { eventType: 'order.closed', orderNo: ORDER }, webhookId: 'm' },
        deps,
      ),
    ).rejects.toBeInstanceOf(UnsupportedEventError);
    await expect(
      acceptTip({ source: 'city-management', body: { eventType: 'case.closed' }, webhookId: 'm' }, deps),
    ).rejects.toBeInstanceOf(UnsupportedEventError);
    const tip = { ...make12345Tip({}, NOW), eventType: 'order.created' };
    expect((await acceptTip({ source: '12345', body: tip, webhookId: 'm' }, deps)).tipId).toBe(TIP_ID);
  });

  it('names every failing field of a follow-up', async () => {
    const { deps } = intake();
    const error = await acceptTip(
      {
        source: '12345',
        body: { eventType: 'order.callback', orderNo: ORDER, satisfaction: 'meh', at: 'yesterday' },
        webhookId: 'm',
      },
      deps,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details?.map((d) => d.path).sort()).toEqual(['at', 'satisfaction']);
  });
});

const message = (overrides: Partial<FollowUpMessage>): FollowUpMessage => ({
  type: 'follow_up',
  kind: 'urge',
  source: '12345',
  tipId: TIP_ID,
  externalId: ORDER,
  webhookId: 'msg_1',
  at: '2026-12-02T09:30:00+08:00',
  acceptedAt: NOW.toISOString(),
  ...overrides,
});

const calendar = new WorkingCalendar();
const apply = (record: CaseRecord, m: FollowUpMessage) => applyFollowUp(record, m, { now: NOW, calendar });
const closed = (overrides: Partial<CaseRecord> = {}) =>
  caseRecord({
    tips: [CASE_TIP],
    status: 'closed',
    deadlines: [
      {
        kind: 'acknowledge',
        dueAt: '2026-11-30T23:59:59+08:00',
        metAt: '2026-11-29T01:00:00Z',
        breachedAt: null,
      },
      { kind: 'close', dueAt: '2026-12-18T23:59:59+08:00', metAt: '2026-12-01T01:00:00Z', breachedAt: null },
    ],
    ...overrides,
  });

describe('applying a follow-up to the case (pure)', () => {
  it('records an urge once per webhook-id; a new webhook-id counts again', () => {
    const first = apply(caseRecord({ tips: [CASE_TIP] }), message({ note: '催' }));
    expect(first.effect).toBe('urged');
    expect(first.record.events.at(-1)).toMatchObject({
      type: 'urged',
      by: 'source:12345',
      followUpId: '12345:msg_1',
      sourceAt: '2026-12-02T09:30:00+08:00',
      note: '催',
    });
    expect(apply(first.record, message({})).effect).toBe('duplicate');
    expect(apply(first.record, message({ webhookId: 'msg_2' })).effect).toBe('urged');
  });

  it('reopens a closed case on a dissatisfied callback: acknowledged, close due 5 working days from `at`', () => {
    const result = apply(closed(), message({ kind: 'callback', satisfaction: 'dissatisfied' }));
    expect(result.effect).toBe('reopened');
    expect(result.record.status).toBe('acknowledged');
    const close = result.record.deadlines.find((d) => d.kind === 'close')!;
    // Wednesday 2 December 2026 + 5 working days = Wednesday 9 December.
    expect(close).toMatchObject({ dueAt: '2026-12-09T23:59:59+08:00', metAt: null, breachedAt: null });
    expect(result.record.events.slice(-2).map((e) => e.type)).toEqual(['callback', 'reopened']);
    expect(result.record.events.at(-1)).toMatchObject({
      dueAt: '2026-12-09T23:59:59+08:00',
      previousDueAt: '2026-12-18T23:59:59+08:00',
    });
  });

  it('only records other callbacks, and a dissatisfied one on an open case', () => {
    expect(apply(closed(), message({ kind: 'callback', satisfaction: 'satisfied' })).effect).toBe('callback');
    const open = apply(
      caseRecord({ tips: [CASE_TIP] }),
      message({ kind: 'callback', satisfaction: 'dissatisfied' }),
    );
    expect(open.effect).toBe('callback');
    expect(open.record.status).toBe('assigned');
  });

  it('closes a not yet inspected case whose only tip it is on withdrawal; records it otherwise', () => {
    const withdrawn = apply(caseRecord({ tips: [CASE_TIP] }), message({ kind: 'withdraw', note: '撤回' }));
    expect(withdrawn.effect).toBe('withdrawn');
    expect(withdrawn.record.status).toBe('closed');
    expect(withdrawn.record.events.at(-1)).toMatchObject({
      type: 'withdrawn',
      closed: true,
      outcome: 'withdrawn',
    });
    const twoTips = caseRecord({ tips: [CASE_TIP, { ...CASE_TIP, tipId: 'tip_other', externalId: 'GD2' }] });
    expect(apply(twoTips, message({ kind: 'withdraw' })).effect).toBe('withdrawal_recorded');
    const inspected = caseRecord({ tips: [CASE_TIP], status: 'inspected' });
    const recorded = apply(inspected, message({ kind: 'withdraw' }));
    expect(recorded.effect).toBe('withdrawal_recorded');
    expect(recorded.record.status).toBe('inspected');
    expect(recorded.record.events.at(-1)).toMatchObject({ type: 'withdrawn', closed: false });
  });
});

describe('applySourceFollowUp (the router)', () => {
  function setup(record: CaseRecord) {
    const store = new MemoryCaseStore();
    store.cases.set(record.caseId, record);
    store.tips.set(TIP_ID, {
      tipId: TIP_ID,
      source: '12345',
      externalId: ORDER,
      caseId: record.caseId,
      status: 'routed',
      receivedAt: '',
      contentHashes: [],
    });
    const queue = new MemoryAssignmentQueue();
    return { store, queue, deps: { store, queue, clock: new ManualClock(NOW), calendar } };
  }

  it('sends one urge to the bureau, under one key however often the message comes', async () => {
    const { store, queue, deps } = setup(caseRecord({ tips: [CASE_TIP] }));
    await applySourceFollowUp(message({ note: '市民来电催办' }), deps);
    await applySourceFollowUp(message({ note: '市民来电催办' }), deps);
    const notices = queue.messages as NoticeMessage[];
    expect(new Set(notices.map((n) => n.key)).size).toBe(1);
    expect(notices[0]).toMatchObject({
      type: 'notice',
      target: 'bureau:shajiabang',
      notification: {
        kind: 'urge',
        audience: 'bureau',
        target: 'bureau:shajiabang',
        caseId: caseRecord().caseId,
      },
    });
    expect(notices[0]!.notification.sms.length).toBeLessThanOrEqual(70);
    expect(notices[0]!.notification.subject).toContain('催办');
    expect(store.cases.get(caseRecord().caseId)!.events.filter((e) => e.type === 'urged')).toHaveLength(1);
  });

  it('sends one reopen for a dissatisfied callback on a closed case', async () => {
    const { queue, deps } = setup(closed());
    const result = await applySourceFollowUp(
      message({ kind: 'callback', satisfaction: 'dissatisfied' }),
      deps,
    );
    expect(result.effect).toBe('reopened');
    const notices = queue.messages as NoticeMessage[];
    expect(notices.map((n) => n.notification.kind)).toEqual(['reopen']);
    expect(notices[0]!.notification.sms).toContain('12月9日23:59');
    expect(JSON.stringify(notices)).not.toMatch(/李女士|13800000000/);
  });
});
