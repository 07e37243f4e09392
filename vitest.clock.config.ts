/**
 * The awkward-instant sweep (`npm run test:clock`, part of `npm test`): the unit tests and the
 * time-dependent end-to-end tests once per instant of test/clock/instants.ts, each instant a vitest
 * project with LANDLINE_TEST_NOW set. Unit tests get a pinned system clock; the end-to-end tests'
 * local run gets the clock injected (never the system's), as a deployed function never could.
 */
import { defineConfig } from 'vitest/config';
import { AWKWARD_INSTANTS } from './test/clock/instants.js';
import base from './vitest.config.js';

/** End-to-end tests whose outcome depends on the day: deadlines, escalation and the ledger. */
const TIME_DEPENDENT_E2E = ['test/e2e/deadlines.test.ts', 'test/e2e/reassign.test.ts'];

// The main config's pool, timeouts and reporters; not its `include`, which projects would add to.
const { include: _everything, ...shared } = base.test ?? {};

export default defineConfig({
  test: {
    ...shared,
    projects: AWKWARD_INSTANTS.flatMap(({ name, at }) => [
      {
        extends: true,
        test: {
          name: `${name}:unit`,
          include: ['test/unit/**/*.test.ts'],
          env: { LANDLINE_TEST_NOW: at, LANDLINE_PIN_SYSTEM_TIME: '1' },
          setupFiles: ['test/support/pinned-system-time.ts'],
        },
      },
      {
        extends: true,
        test: { name: `${name}:e2e`, include: TIME_DEPENDENT_E2E, env: { LANDLINE_TEST_NOW: at } },
      },
    ]),
  },
});
