/**
 * "Now" for tests. Normally the system clock; with `LANDLINE_TEST_NOW=<ISO instant>` (the
 * awkward-instant sweep, `npm run test:clock`) a clock that starts at that instant and runs on in
 * real time. Fixtures, the test stack and time-dependent assertions all read it, so a whole suite
 * can be run "on" a Monday 00:30 or New Year's Eve.
 */
import { clockStartingAt, systemClock } from '../../shared/adapters/clock.js';
import { shanghaiDate, WorkingCalendar } from '../../shared/domain/calendar.js';
import type { Clock } from '../../shared/ports/index.js';

function pinnedFromEnvironment(): Date | undefined {
  const value = process.env.LANDLINE_TEST_NOW;
  if (!value) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new Error(`LANDLINE_TEST_NOW is not an ISO instant: ${value}`);
  return at;
}

const pinned = pinnedFromEnvironment();

/** The instant tests run "at" (see the module comment). */
export const testClock: Clock = pinned ? clockStartingAt(pinned) : systemClock;

export const testNow = (): Date => testClock.now();

const DAY_MS = 86_400_000;

/**
 * A receipt instant (09:00 Shanghai time of some day) from which `workingDays` working days have
 * already run out before `now`, counted with the working calendar the system itself uses (holidays
 * and 调休 included): "received long enough ago that a deadline of that many working days passed",
 * whatever day of the week or of the year the test runs on.
 */
export function receivedWorkingDaysAgo(
  workingDays: number,
  now: Date = testNow(),
  calendar: WorkingCalendar = new WorkingCalendar(),
): Date {
  for (let daysBack = 1; daysBack <= 60; daysBack++) {
    const day = shanghaiDate(new Date(now.getTime() - daysBack * DAY_MS));
    const receivedAt = new Date(`${day}T09:00:00+08:00`);
    if (Date.parse(calendar.addWorkingDays(receivedAt.toISOString(), workingDays).dueAt) < now.getTime())
      return receivedAt;
  }
  throw new Error(`no day within 60 days before ${now.toISOString()} leaves ${workingDays} working days`);
}
