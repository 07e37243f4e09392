/**
 * Setup file of the awkward-instant sweep (vitest.clock.config.ts) for tests whose code reads the
 * system clock: with LANDLINE_PIN_SYSTEM_TIME=1, `Date` starts at LANDLINE_TEST_NOW and runs on in
 * real time. Timers stay real, so waits and timeouts behave as usual. End-to-end tests do not use
 * it: their local run is given the clock explicitly (test/support/clock.ts).
 */
import { vi } from 'vitest';

const at = process.env.LANDLINE_TEST_NOW;
if (at && process.env.LANDLINE_PIN_SYSTEM_TIME === '1') {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(at), shouldAdvanceTime: true });
}
