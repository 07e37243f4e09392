import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import {
  DEFAULT_DEADLINE_POLICY,
  type DeadlinePolicy,
  initialDeadlines,
  notifyTownDeadline,
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
    expect(deadlines[0]!.basis).toBe('1 working day from receipt 2026-11-28 (Sat)');
  });

  it('major severity: acknowledge in 2 hours, inspect in 24 hours', () => {
    const deadlines = initialDeadlines({ receivedAt, severity: 'major' }, calendar);
    expect(due(deadlines)).toEqual({
      acknowledge: '2026-11-28T11:15:00+08:00',
      inspect: '2026-11-29T09:15:00+08:00',
      close: '2026-12-18T23:59:59+08:00',
    });
    expect(deadlines[0]!.basis).toContain('2 hours from receipt');
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
    expect(deadlines[2]!.basis).toMatch(/^source deadline/);
  });

  it('keeps the policy deadline when the source deadline is later, and says so', () => {
    const deadlines = initialDeadlines(
      { receivedAt, severity: 'normal', sourceDeadline: '2027-01-15T09:00:00Z' },
      calendar,
    );
    expect(deadlines[2]!.dueAt).toBe('2026-12-18T23:59:59+08:00');
    expect(deadlines[2]!.basis).toContain('the source deadline 2027-01-15T17:00:00+08:00 is later');
  });

  it('marks deadlines that reach into a year without an official schedule provisional', () => {
    const deadlines = initialDeadlines(
      { receivedAt: '2026-12-20T10:00:00+08:00', severity: 'normal' },
      calendar,
    );
    expect(deadlines[2]).toMatchObject({ kind: 'close', provisional: true });
    expect(deadlines[2]!.basis).toContain('provisional');
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
