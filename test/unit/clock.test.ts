import { afterEach, describe, expect, it } from 'vitest';
import {
  clockStartingAt,
  functionClock,
  setLocalRunClock,
  systemClock,
} from '../../shared/adapters/clock.js';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { receivedWorkingDaysAgo, testNow } from '../support/clock.js';

afterEach(() => setLocalRunClock(undefined));

describe('the functions clock', () => {
  it('reads the system clock unless the local run sets another', () => {
    const before = Date.now();
    const now = functionClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('follows the clock the local run sets, and the system clock again when it is unset', () => {
    setLocalRunClock({ now: () => new Date('2026-11-30T04:30:00+08:00') });
    expect(functionClock.now().toISOString()).toBe('2026-11-29T20:30:00.000Z');
    setLocalRunClock(undefined);
    expect(Math.abs(functionClock.now().getTime() - systemClock.now().getTime())).toBeLessThan(1000);
  });

  it('starts a clock at an instant and runs it on in real time', () => {
    let real = 1_000_000;
    const clock = clockStartingAt(new Date('2027-01-01T00:00:30+08:00'), () => real);
    expect(clock.now().toISOString()).toBe('2026-12-31T16:00:30.000Z');
    real += 90_000;
    expect(clock.now().toISOString()).toBe('2026-12-31T16:02:00.000Z');
  });
});

describe('the tests clock', () => {
  it('runs at LANDLINE_TEST_NOW when the sweep sets it, else at the real now', () => {
    const pinned = process.env.LANDLINE_TEST_NOW;
    const expected = pinned ? Date.parse(pinned) : Date.now();
    // Real time runs on from the pinned instant while the suite runs: allow the suite's duration.
    expect(testNow().getTime() - expected).toBeGreaterThanOrEqual(-1000);
    expect(testNow().getTime() - expected).toBeLessThan(10 * 60_000);
  });

  it('finds a receipt from which the working days have run out, across a weekend and 春节', () => {
    const calendar = new WorkingCalendar();
    // Monday 04:30: two working days from Thursday run to Monday 23:59:59, so Wednesday it is.
    const monday = new Date('2026-11-30T04:30:00+08:00');
    expect(receivedWorkingDaysAgo(2, monday, calendar).toISOString()).toBe('2026-11-25T01:00:00.000Z');
    // 24 February 2026, the first working day after 春节 (15–23 February; 14 February is 调休).
    const afterChunjie = new Date('2026-02-24T10:00:00+08:00');
    const received = receivedWorkingDaysAgo(2, afterChunjie, calendar);
    expect(received.toISOString()).toBe('2026-02-12T01:00:00.000Z');
    expect(Date.parse(calendar.addWorkingDays(received.toISOString(), 2).dueAt)).toBeLessThan(
      afterChunjie.getTime(),
    );
  });
});
