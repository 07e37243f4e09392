/**
 * The sweeper's monthly-report decisions (contract section 8) over in-memory ports with a manual
 * clock: the reminder two working days before the due day, the overdue decision with its notices
 * and ledger entry, each exactly once however many sweeps run (concurrent, repeated, or one that
 * died half-way), and nothing for months that began before REPORTING_START.
 */
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { AREA_IDS, type NoticeMessage, type WorkMessage } from '../../shared/domain/model.js';
import { notifyWork } from '../../shared/usecases/notify-case.js';
import { sweepReports } from '../../shared/usecases/sweep-reports.js';
import { MemoryLedgerStore } from '../support/memory-ledger.js';
import {
  ManualClock,
  MemoryAssignmentQueue,
  MemoryCaseStore,
  MemoryNotificationClaims,
  MemoryNotifier,
} from '../support/memory-ports.js';
import { MemoryReportStore } from '../support/memory-reports.js';

function setup(now: string, start = '2026-11-01') {
  const reports = new MemoryReportStore();
  const queue = new MemoryAssignmentQueue();
  const ledger = new MemoryLedgerStore();
  const clock = new ManualClock(new Date(now));
  const notifier = new MemoryNotifier();
  const claims = new MemoryNotificationClaims();
  const deps = {
    reports,
    queue,
    ledger,
    clock,
    calendar: new WorkingCalendar(),
    reportingStart: async () => start,
    config: { dueDay: 25 },
  };
  const deliver = async () => {
    for (const message of queue.messages.splice(0))
      await notifyWork(message, { store: new MemoryCaseStore(), claims, notifier, clock });
  };
  return { reports, queue, ledger, clock, notifier, deps, deliver };
}

const notices = (messages: readonly WorkMessage[]) =>
  messages.filter((message): message is NoticeMessage => message.type === 'notice');
const lines = (sent: MemoryNotifier['sent']) => sent.map((n) => `${n.kind}|${n.target}|${n.report}`).sort();

/** A submission whose notices went out with it. */
async function submitOnTime(reports: MemoryReportStore, area: (typeof AREA_IDS)[number]) {
  await reports.submit({
    unit: area,
    month: '2026-11',
    submittedAt: '2026-12-20T02:00:00.000Z',
    submittedBy: `bureau:${area}`,
    zeroReport: true,
    analysis: null,
    figures: {},
  });
  await reports.mark(area, '2026-11', 'notifiedAt', '2026-12-20T02:00:01.000Z');
}

describe('the monthly reports in the sweep', () => {
  it('does nothing before the reminder instant (09:00 two working days before the 25th)', async () => {
    const { deps, queue } = setup('2026-12-23T08:59:00+08:00');
    expect((await sweepReports(deps)).months).toEqual([]);
    expect(queue.messages).toEqual([]);
  });

  it('reminds every bureau not yet submitted once, to the bureau, with the report named', async () => {
    const { deps, reports, deliver, notifier } = setup('2026-12-23T09:00:00+08:00');
    await submitOnTime(reports, 'meili');
    const outcome = await sweepReports(deps);
    expect(outcome.months).toEqual(['2026-11']);
    expect(outcome.reminded).toHaveLength(AREA_IDS.length - 1);
    expect((await sweepReports(deps)).reminded).toEqual([]);
    await deliver();
    expect(notifier.sent).toHaveLength(AREA_IDS.length - 1);
    const guli = notifier.sent.find((n) => n.target === 'bureau:guli')!;
    expect(guli).toMatchObject({ kind: 'report_reminder', audience: 'bureau', report: 'guli/2026-11' });
    expect(guli.caseId).toBeUndefined();
    expect(guli.subject).toBe('【月报提醒】古里镇国土分局2026年11月巡查月报尚未报送');
    expect([...guli.sms].length).toBeLessThanOrEqual(70);
    expect(notifier.sent.some((n) => n.target === 'bureau:meili')).toBe(false);
  });

  it('decides a report not submitted by its due instant overdue: two notices and one late_report, once', async () => {
    const { deps, reports, ledger, clock, deliver, notifier, queue } = setup('2026-12-25T23:59:59+08:00');
    await submitOnTime(reports, 'meili');
    expect((await sweepReports(deps)).overdue).toEqual([]);
    clock.set('2026-12-26T00:00:01+08:00');
    const outcome = await sweepReports(deps);
    expect(outcome.overdue).toHaveLength(AREA_IDS.length - 1);
    // However many sweeps follow, nothing more.
    await sweepReports(deps);
    await sweepReports(deps);
    const keys = notices(queue.messages).map((message) => message.key);
    await deliver();
    const overdue = notifier.sent.filter((n) => n.kind === 'report_overdue');
    expect(lines(overdue)).toEqual(
      AREA_IDS.filter((area) => area !== 'meili')
        .flatMap((area) => [
          `report_overdue|brigade|${area}/2026-11`,
          `report_overdue|bureau:${area}|${area}/2026-11`,
        ])
        .sort(),
    );
    expect(new Set(keys).size).toBe(keys.length);
    const { entries, vetoes } = await ledger.list(2026);
    expect(entries).toHaveLength(AREA_IDS.length - 1);
    expect(entries.find((entry) => entry.bureau === 'bureau:guli')).toMatchObject({
      entryId: 'report#guli/2026-11',
      kind: 'late_report',
      reason: 'report_overdue',
      reasonLabel: '未按时报送月报',
      report: 'guli/2026-11',
      dueAt: '2026-12-25T23:59:59+08:00',
    });
    expect(vetoes).toEqual([]);
    expect(reports.watermark).toBe('2026-11');
  });

  it('decides once when two sweeps run at the same time', async () => {
    const { deps, ledger, deliver, notifier } = setup('2026-12-26T00:00:01+08:00');
    await Promise.all([sweepReports(deps), sweepReports(deps), sweepReports(deps)]);
    await deliver();
    expect(notifier.sent).toHaveLength(2 * AREA_IDS.length);
    expect((await ledger.list(2026)).entries).toHaveLength(AREA_IDS.length);
  });

  it('finishes a decision a sweep died in the middle of, without doing any part twice', async () => {
    const { deps, reports, ledger, deliver, notifier } = setup('2026-12-26T00:00:01+08:00');
    reports.failMarks = 1;
    await expect(sweepReports(deps)).rejects.toThrow('table unavailable');
    const outcome = await sweepReports(deps);
    expect(outcome.overdue).toHaveLength(AREA_IDS.length);
    await deliver();
    expect(notifier.sent).toHaveLength(2 * AREA_IDS.length);
    expect((await ledger.list(2026)).entries).toHaveLength(AREA_IDS.length);
    expect((await sweepReports(deps)).overdue).toEqual([]);
  });

  it('sends no reminder once the report is already overdue (the sweeper was down)', async () => {
    const { deps, deliver, notifier } = setup('2027-01-10T10:00:00+08:00');
    await sweepReports(deps);
    await deliver();
    expect(notifier.sent.filter((n) => n.kind === 'report_reminder')).toEqual([]);
  });

  it('hands over the notices of a submission whose function died before it could', async () => {
    const { deps, reports, deliver, notifier } = setup('2026-12-23T10:00:00+08:00');
    await reports.submit({
      unit: 'meili',
      month: '2026-11',
      submittedAt: '2026-12-20T02:00:00.000Z',
      submittedBy: 'bureau:meili',
      zeroReport: true,
      analysis: '本月未发现违法用地行为',
      figures: {
        patrols: { total: 9, byKind: { bureau: 9 }, weeksMet: 4, weeks: 4, withFindings: 0 },
        cases: {
          new: 0,
          bySource: { patrol: 0, '12336': 0, '12345': 0, 'city-management': 0 },
          byViolationType: {},
          violationsConfirmed: 0,
          violationsConfirmedByPatrol: 0,
          stopped: 0,
          townNotified: 0,
          closed: 0,
          areaMu: 0,
        },
        deadlines: { met: 0, breached: 0 },
        patrolDiscoveryRate: null,
        hotline: {
          urges: 0,
          callbacks: 0,
          satisfied: 0,
          basicallySatisfied: 0,
          dissatisfied: 0,
          satisfactionRate: null,
        },
      },
    });
    expect((await sweepReports(deps)).renotified).toEqual(['meili/2026-11']);
    expect((await sweepReports(deps)).renotified).toEqual([]);
    await deliver();
    expect(lines(notifier.sent.filter((n) => n.kind === 'monthly_report'))).toEqual([
      'monthly_report|brigade|meili/2026-11',
      'monthly_report|town:meili|meili/2026-11',
    ]);
  });

  it('never decides a month that began before REPORTING_START', async () => {
    const { deps, queue, ledger } = setup('2027-01-26T10:00:00+08:00', '2026-11-15');
    const outcome = await sweepReports(deps);
    // November began before the 15th: only December is decided.
    expect(outcome.months).toEqual(['2026-12']);
    expect(outcome.overdue.every((ref) => ref.endsWith('/2026-12'))).toBe(true);
    expect(notices(queue.messages).some((message) => message.notification.report?.endsWith('2026-11'))).toBe(
      false,
    );
    expect((await ledger.list(2026)).entries).toEqual([]);
    expect((await ledger.list(2027)).entries).toHaveLength(AREA_IDS.length);
  });

  it('walks the months from the watermark only', async () => {
    const { deps, reports } = setup('2027-03-01T10:00:00+08:00');
    expect((await sweepReports(deps)).months).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(reports.watermark).toBe('2027-01');
    expect((await sweepReports(deps)).months).toEqual([]);
  });
});
