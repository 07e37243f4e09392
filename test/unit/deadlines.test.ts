import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import {
  DEFAULT_DEADLINE_POLICY,
  type DeadlinePolicy,
  initialDeadlines,
  notifyTownDeadline,
  recomputeDeadline,
  stopDeadline,
} from '../../shared/domain/deadlines.js';

const calendar = new WorkingCalendar();
// Saturday 28 November 2026, 09:15 in Shanghai.
const receivedAt = '2026-11-28T09:15:00+08:00';
const due = (deadlines: { kind: string; dueAt: string }[]) =>
  Object.fromEntries(deadlines.map((deadline) => [deadline.kind, deadline.dueAt]));

describe('initialDeadlines', () => {
  it('normal severity: 1 and 2 working days, close after 15 working days', () => {
    const deadlines = initialDeadlines({ receivedAt, severity: 'normal' }, calendar);
    expect(deadlines.map((deadline) => deadline.kind)).toEqual(['acknowledge', 'inspect', 'close']);
    expect(due(deadlines)).toEqual({
      acknowledge: '2026-11-30T23:59:59+08:00',
      inspect: '2026-12-01T23:59:59+08:00',
      close: '2026-12-18T23:59:59+08:00',
    });
    expect(deadlines[0]).toMatchObject({ metAt: null, breachedAt: null, provisional: false });
    expect(deadlines[0]!.basis).toBe('自受理之日2026年11月28日（星期六）起1个工作日');
  });

  it('major severity: acknowledge in 2 hours, inspect in 24 hours', () => {
    const deadlines = initialDeadlines({ receivedAt, severity: 'major' }, calendar);
    expect(due(deadlines)).toEqual({
      acknowledge: '2026-11-28T11:15:00+08:00',
      inspect: '2026-11-29T09:15:00+08:00',
      close: '2026-12-18T23:59:59+08:00',
    });
    expect(deadlines[0]!.basis).toBe('自受理时间2026年11月28日09:15起2小时');
  });

  it('writes hour-based deadlines in Shanghai time whatever offset the source used', () => {
    const deadlines = initialDeadlines({ receivedAt: '2026-11-28T15:30:00Z', severity: 'major' }, calendar);
    expect(deadlines[0]!.dueAt).toBe('2026-11-29T01:30:00+08:00');
  });

  it('takes the source deadline when it is earlier', () => {
    const deadlines = initialDeadlines(
      { receivedAt, severity: 'normal', sourceDeadline: '2026-12-15T17:00:00+08:00' },
      calendar,
    );
    expect(deadlines[2]).toMatchObject({ kind: 'close', dueAt: '2026-12-15T17:00:00+08:00' });
    expect(deadlines[2]!.basis).toBe(
      '来源方办理时限，早于按规定计算的时限（自受理之日2026年11月28日（星期六）起15个工作日）',
    );
  });

  it('keeps the policy deadline when the source deadline is later, and says so', () => {
    const deadlines = initialDeadlines(
      { receivedAt, severity: 'normal', sourceDeadline: '2027-01-15T09:00:00Z' },
      calendar,
    );
    expect(deadlines[2]!.dueAt).toBe('2026-12-18T23:59:59+08:00');
    expect(deadlines[2]!.basis).toContain('；来源方办理时限2027年1月15日17:00较晚');
  });

  it('marks deadlines that reach into a year without an official schedule provisional', () => {
    const deadlines = initialDeadlines(
      { receivedAt: '2026-12-20T10:00:00+08:00', severity: 'normal' },
      calendar,
    );
    expect(deadlines[2]).toMatchObject({ kind: 'close', provisional: true });
    expect(deadlines[2]!.basis).toContain('（暂定：该年度官方节假日安排尚未载入）');
    expect(deadlines[0]!.provisional).toBe(false);
  });

  it('follows a configured policy', () => {
    const policy: DeadlinePolicy = {
      ...DEFAULT_DEADLINE_POLICY,
      acknowledge: { normal: { hours: 8 }, major: { hours: 1 } },
      close: { ...DEFAULT_DEADLINE_POLICY.close, sourceDeadlineWhenEarlier: false },
    };
    const deadlines = initialDeadlines(
      { receivedAt, severity: 'normal', sourceDeadline: '2026-12-01T17:00:00+08:00' },
      calendar,
      policy,
    );
    expect(due(deadlines).acknowledge).toBe('2026-11-28T17:15:00+08:00');
    expect(due(deadlines).close).toBe('2026-12-18T23:59:59+08:00');
  });
});

describe('later deadlines', () => {
  it('stop: 3 working days after the inspection, or 24 hours when major', () => {
    expect(stopDeadline('2026-09-29T10:00:00+08:00', 'normal', calendar)).toMatchObject({
      kind: 'stop',
      dueAt: '2026-10-09T23:59:59+08:00',
    });
    expect(stopDeadline('2026-09-29T10:00:00+08:00', 'major', calendar).dueAt).toBe(
      '2026-09-30T10:00:00+08:00',
    );
  });

  it('notify_town: 1 working day after, or 4 hours when major', () => {
    expect(notifyTownDeadline('2026-10-09T16:00:00+08:00', 'normal', calendar).dueAt).toBe(
      '2026-10-10T23:59:59+08:00',
    );
    expect(notifyTownDeadline('2026-10-09T22:00:00+08:00', 'major', calendar)).toMatchObject({
      kind: 'notify_town',
      dueAt: '2026-10-10T02:00:00+08:00',
    });
  });
});

describe('acceptance: deadlines across the calendar edges (contract 4)', () => {
  it('skips National Day 2026 and counts its make-up Saturday, 10 October', () => {
    // Wednesday 30 September 2026, 16:00: 1-7 October are off, Saturday 10 October is a working day.
    const [acknowledge, inspect, close] = initialDeadlines(
      { receivedAt: '2026-09-30T16:00:00+08:00', severity: 'normal' },
      calendar,
    );
    expect(acknowledge!.dueAt).toBe('2026-10-08T23:59:59+08:00');
    expect(inspect!.dueAt).toBe('2026-10-09T23:59:59+08:00');
    expect(acknowledge!.provisional).toBe(false);
    // 8, 9, 10 (Sat, make-up), 12-16, 19-23, 26, 27: the 15th working day is Tuesday 27 October.
    expect(close!.dueAt).toBe('2026-10-27T23:59:59+08:00');
    // A tip received on the make-up Saturday itself counts from that day like any working day.
    const fromSaturday = initialDeadlines(
      { receivedAt: '2026-10-10T10:00:00+08:00', severity: 'normal' },
      calendar,
    );
    expect(fromSaturday[0]!.dueAt).toBe('2026-10-12T23:59:59+08:00');
  });

  it('crosses New Year into 2027, a year without a published schedule: provisional, 1 January off', () => {
    // Thursday 31 December 2026, 10:00.
    const [acknowledge, inspect, close] = initialDeadlines(
      { receivedAt: '2026-12-31T10:00:00+08:00', severity: 'normal' },
      calendar,
    );
    expect(acknowledge).toMatchObject({ dueAt: '2027-01-04T23:59:59+08:00', provisional: true });
    expect(inspect).toMatchObject({ dueAt: '2027-01-05T23:59:59+08:00', provisional: true });
    expect(close!.provisional).toBe(true);
    expect(acknowledge!.basis).toBe(
      '自受理之日2026年12月31日（星期四）起1个工作日（暂定：该年度官方节假日安排尚未载入）',
    );
  });

  it('gives an urgent tip at night 2 hours to acknowledge and 24 to inspect, by the clock', () => {
    const deadlines = initialDeadlines(
      { receivedAt: '2026-11-28T23:30:00+08:00', severity: 'major' },
      calendar,
    );
    expect(due(deadlines)).toMatchObject({
      acknowledge: '2026-11-29T01:30:00+08:00',
      inspect: '2026-11-29T23:30:00+08:00',
    });
    // Received late on Saturday in UTC terms too: the offset the source wrote does not matter.
    const utc = initialDeadlines({ receivedAt: '2026-11-28T15:30:00Z', severity: 'major' }, calendar);
    expect(due(utc)).toEqual(due(deadlines));
  });

  it("takes a source's own earlier deadline as the close deadline and keeps it through a recount", () => {
    const deadlines = initialDeadlines(
      {
        receivedAt: '2026-12-28T10:00:00+08:00',
        severity: 'normal',
        sourceDeadline: '2027-01-08T17:00:00+08:00',
      },
      calendar,
    );
    const close = deadlines.find((d) => d.kind === 'close')!;
    expect(close).toMatchObject({ dueAt: '2027-01-08T17:00:00+08:00', provisional: false });
    expect(close.basis).toMatch(/^来源方办理时限/);
  });
});

describe('recomputeDeadline (official schedule loaded later)', () => {
  // A made-up official 2027 schedule: 1-3 January off, Saturday 9 January a make-up working day.
  const official = new WorkingCalendar({
    overrides: [
      {
        year: 2027,
        holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'],
        workdays: ['2027-01-09'],
      },
    ],
  });

  it('moves an open provisional deadline to where the official working days put it', () => {
    const [acknowledge] = initialDeadlines(
      { receivedAt: '2026-12-31T10:00:00+08:00', severity: 'normal' },
      calendar,
    );
    expect(acknowledge).toMatchObject({
      dueAt: '2027-01-04T23:59:59+08:00',
      countedFrom: '2026-12-31T10:00:00+08:00',
    });
    const moved = recomputeDeadline(acknowledge!, 'normal', acknowledge!.countedFrom!, official);
    expect(moved).toMatchObject({ dueAt: '2027-01-05T23:59:59+08:00', provisional: false });
  });

  it('leaves met, breached and official deadlines alone', () => {
    const [acknowledge] = initialDeadlines(
      { receivedAt: '2026-12-31T10:00:00+08:00', severity: 'normal' },
      calendar,
    );
    const met = { ...acknowledge!, metAt: '2027-01-01T00:00:00Z' };
    expect(recomputeDeadline(met, 'normal', met.countedFrom!, official)).toBe(met);
    const breached = { ...acknowledge!, breachedAt: '2027-01-05T00:00:00Z' };
    expect(recomputeDeadline(breached, 'normal', breached.countedFrom!, official)).toBe(breached);
    const [normal] = initialDeadlines({ receivedAt, severity: 'normal' }, calendar);
    expect(recomputeDeadline(normal!, 'normal', receivedAt, official)).toBe(normal);
  });

  it("still prefers the source's deadline when the recount lands later", () => {
    const close = initialDeadlines(
      {
        receivedAt: '2026-12-31T10:00:00+08:00',
        severity: 'normal',
        sourceDeadline: '2027-01-25T17:00:00+08:00',
      },
      calendar,
    ).find((d) => d.kind === 'close')!;
    expect(close).toMatchObject({ provisional: true, sourceDueAt: '2027-01-25T17:00:00+08:00' });
    const longHoliday = new WorkingCalendar({
      overrides: [
        {
          year: 2027,
          holidays: Array.from({ length: 20 }, (_, i) => `2027-01-${String(i + 1).padStart(2, '0')}`),
          workdays: [],
        },
      ],
    });
    const recounted = recomputeDeadline(close, 'normal', close.countedFrom!, longHoliday);
    expect(recounted).toMatchObject({ dueAt: '2027-01-25T17:00:00+08:00', provisional: false });
  });
});
