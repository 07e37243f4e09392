/**
 * The clock every function takes "now" from. Deployed functions always read the system clock; the
 * local run alone may set another one (`LOCAL_NOW`, tests that pin an awkward instant such as a
 * Monday 00:30 or New Year's Eve), and it does so through this module because the handlers load
 * in its process, once, and keep their clock for the process's life.
 */
import type { Clock } from '../ports/index.js';

export const systemClock: Clock = { now: () => new Date() };

let source: Clock = systemClock;

/** What the functions' composition roots hand their use cases as their clock. */
export const functionClock: Clock = { now: () => source.now() };

/** Local run only (infra/local): nothing deployed calls this. `undefined` restores the system clock. */
export function setLocalRunClock(clock: Clock | undefined): void {
  source = clock ?? systemClock;
}

/**
 * A clock that reads `at` when created and runs on in real time from there, so that waits, leases
 * and timeouts behave as they do in production while "now" sits at a chosen instant.
 */
export function clockStartingAt(at: Date, realNow: () => number = Date.now): Clock {
  const offsetMs = at.getTime() - realNow();
  return { now: () => new Date(realNow() + offsetMs) };
}
