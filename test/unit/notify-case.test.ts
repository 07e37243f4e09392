import { describe, expect, it } from 'vitest';
import { SMS_MAX_CHARS } from '../../shared/domain/notifications.js';
import { parseWorkMessage } from '../../shared/domain/work-message.js';
import { noticeMessage } from '../../shared/usecases/notices.js';
import { NotificationsHeldError, notifyWork } from '../../shared/usecases/notify-case.js';
import { caseRecord } from '../support/case-record.js';
import {
  ManualClock,
  MemoryCaseStore,
  MemoryNotificationClaims,
  MemoryNotifier,
} from '../support/memory-ports.js';

async function setup(overrides: Parameters<typeof caseRecord>[0] = {}) {
  const store = new MemoryCaseStore();
  const record = caseRecord(overrides);
  store.cases.set(record.caseId, record);
  const claims = new MemoryNotificationClaims();
  const notifier = new MemoryNotifier();
  const clock = new ManualClock(new Date('2026-11-28T01:16:00Z'));
  return { record, store, claims, notifier, clock, deps: { store, claims, notifier, clock } };
}

describe('notifyWork', () => {
  it('sends the assignment to the bureau with the case number and first deadline in a short SMS', async () => {
    const { record, deps, notifier } = await setup({ partners: [] });
    await notifyWork({ type: 'assignment', caseId: record.caseId, target: 'bureau:shajiabang' }, deps);
    expect(notifier.sent).toHaveLength(1);
    const [assignment] = notifier.sent;
    expect(assignment).toMatchObject({
      audience: 'bureau',
      target: 'bureau:shajiabang',
      kind: 'assignment',
      caseId: record.caseId,
    });
    expect(Array.from(assignment!.sms).length).toBeLessThanOrEqual(SMS_MAX_CHARS);
    expect(assignment!.sms).toContain('2026-000042');
    expect(assignment!.sms).toContain('11月30日23:59');
    expect(assignment!.email).toContain('沙家浜镇');
  });

  it('sends each notification once even when the message is delivered twice', async () => {
    const { record, deps, notifier } = await setup();
    const message = { type: 'assignment' as const, caseId: record.caseId, target: 'bureau:shajiabang' };
    await notifyWork(message, deps);
    const second = await notifyWork(message, deps);
    expect(notifier.sent.map((n) => `${n.kind}:${n.target}`)).toEqual([
      'assignment:bureau:shajiabang',
      'joint_enforcement:partner:planning',
      'joint_enforcement:partner:urban_management',
    ]);
    expect(second.sent).toHaveLength(0);
    expect(second.skipped).toHaveLength(3);
  });

  it('gives a claim back when sending fails, so the retry sends what was not sent', async () => {
    const { record, deps, notifier } = await setup();
    const message = { type: 'assignment' as const, caseId: record.caseId, target: 'bureau:shajiabang' };
    notifier.failNext = 1;
    await expect(notifyWork(message, deps)).rejects.toThrow('SNS is down');
    await notifyWork(message, deps);
    expect(notifier.sent.filter((n) => n.kind === 'assignment')).toHaveLength(1);
    expect(notifier.sent).toHaveLength(3);
  });

  it('takes over a claim whose sender died once its lease has passed', async () => {
    const { record, deps, notifier, claims, clock } = await setup({ partners: [] });
    const message = { type: 'assignment' as const, caseId: record.caseId, target: 'bureau:shajiabang' };
    await claims.claim(
      `${record.caseId}|assignment|bureau:shajiabang`,
      'x',
      clock.now(),
      60_000,
      'dead-delivery',
    );
    // While the claim is live the message fails, to be retried, rather than being dropped.
    await expect(notifyWork(message, deps, { claimant: 'live-delivery' })).rejects.toThrow(
      NotificationsHeldError,
    );
    clock.advance(61_000);
    expect((await notifyWork(message, deps, { claimant: 'live-delivery' })).sent).toHaveLength(1);
    expect(notifier.sent).toHaveLength(1);
  });

  it('lets a delivery take back its own claim when the answer to its claim was lost', async () => {
    const { record, deps, notifier, claims, clock } = await setup({ partners: [] });
    const message = { type: 'assignment' as const, caseId: record.caseId, target: 'bureau:shajiabang' };
    await claims.claim(`${record.caseId}|assignment|bureau:shajiabang`, 'x', clock.now(), 60_000, 'msg-1');
    expect((await notifyWork(message, deps, { claimant: 'msg-1' })).sent).toHaveLength(1);
    expect(notifier.sent).toHaveLength(1);
  });

  it('does not fail the message when a sent notification cannot be recorded at first', async () => {
    const { record, deps, notifier, claims } = await setup({ partners: [] });
    const complete = claims.markSent.bind(claims);
    let failures = 2;
    claims.markSent = async (key: string) => {
      if (failures-- > 0) throw new Error('throttled');
      return complete(key);
    };
    const message = { type: 'assignment' as const, caseId: record.caseId, target: 'bureau:shajiabang' };
    const outcome = await notifyWork(message, { ...deps, sleep: async () => undefined }, { claimant: 'm' });
    expect(outcome).toMatchObject({ unrecorded: [] });
    expect(await notifyWork(message, deps, { claimant: 'other' })).toMatchObject({ sent: [] });
    expect(notifier.sent).toHaveLength(1);
  });

  it('assigns a triage case to the brigade', async () => {
    const { record, deps, notifier } = await setup({
      area: null,
      areaName: null,
      district: null,
      bureau: 'brigade',
      status: 'triage',
      partners: [],
    });
    await notifyWork({ type: 'assignment', caseId: record.caseId, target: 'brigade' }, deps);
    expect(notifier.sent).toEqual([
      expect.objectContaining({ audience: 'brigade', target: 'brigade', kind: 'assignment' }),
    ]);
  });

  it('reports a major case to its town and the brigade at once', async () => {
    const { record, deps, notifier } = await setup({
      severity: 'major',
      severityReasons: ['来源标注紧急'],
      partners: ['police'],
    });
    await notifyWork({ type: 'assignment', caseId: record.caseId, target: 'bureau:shajiabang' }, deps);
    expect(notifier.sent.map((n) => `${n.audience}:${n.kind}:${n.target}`)).toEqual([
      'bureau:assignment:bureau:shajiabang',
      'partner:joint_enforcement:partner:police',
      'town:special_report:town:shajiabang',
      'brigade:special_report:brigade',
    ]);
  });

  it('does not notify a former bureau from a stale message after reassignment', async () => {
    const { record, deps, notifier } = await setup({
      area: 'guli',
      areaName: '古里镇',
      bureau: 'bureau:guli',
      partners: [],
    });
    await notifyWork({ type: 'assignment', caseId: record.caseId, target: 'bureau:shajiabang' }, deps);
    expect(notifier.sent).toHaveLength(0);
  });

  it('never puts reporter data into a notification', async () => {
    const { record, deps, notifier } = await setup({
      reporter: { anonymous: false, confidential: false, sealed: 'CANARY-SEALED' },
    });
    await notifyWork({ type: 'assignment', caseId: record.caseId, target: 'bureau:shajiabang' }, deps);
    expect(JSON.stringify(notifier.sent)).not.toContain('CANARY');
  });
});

describe('notice messages', () => {
  it('sends a rendered notice once per key, through the parser, however often it is delivered', async () => {
    const { deps, notifier } = await setup();
    const message = noticeMessage(
      'patrol_shortfall|bureau:meili|2026-W49|brigade',
      {
        audience: 'brigade',
        target: 'brigade',
        kind: 'patrol_shortfall',
        unit: 'bureau:meili',
        period: '2026-W49',
        subject: '【巡查不足】梅李镇国土分局2026年第49周巡查未达要求',
        sms: '梅李镇国土分局2026年第49周巡查1次，少于规定的2次。',
        email: '梅李镇国土分局2026年第49周巡查1次，少于规定的2次。',
      },
      '2026-12-09T01:00:00.000Z',
    );
    expect(message.target).toBe('brigade');
    const body = JSON.stringify(message);
    await notifyWork(parseWorkMessage(body), deps, { claimant: 'm1' });
    await notifyWork(parseWorkMessage(body), deps, { claimant: 'm2' });
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]).toMatchObject({
      kind: 'patrol_shortfall',
      unit: 'bureau:meili',
      period: '2026-W49',
    });
    expect(notifier.sent[0]?.caseId).toBeUndefined();
  });

  it('carries a bureau notice on the bureau queue and every other one on the brigade queue', () => {
    const base = { kind: 'urge', subject: 's', sms: 's', email: 'e' } as const;
    expect(noticeMessage('k', { ...base, audience: 'bureau', target: 'bureau:guli' }, 'now').target).toBe(
      'bureau:guli',
    );
    expect(noticeMessage('k', { ...base, audience: 'town', target: 'town:guli' }, 'now').target).toBe(
      'brigade',
    );
    expect(noticeMessage('k', { ...base, audience: 'leadership', target: 'leadership' }, 'now').target).toBe(
      'brigade',
    );
  });
});
