import { configDefaults, defineConfig, type TestProjectConfiguration } from 'vitest/config';
import { AWKWARD_INSTANTS } from './test/clock/instants.js';

/** End-to-end tests whose outcome depends on the day: deadlines, escalation, the ledger and the monthly reports. */
const TIME_DEPENDENT_E2E = [
  'test/e2e/deadlines.test.ts',
  'test/e2e/reassign.test.ts',
  'test/e2e/case-budget.test.ts',
  'test/e2e/reports.test.ts',
];

/**
 * The awkward-instant sweep (docs/testing.md): the unit tests and the time-dependent end-to-end
 * tests once more per instant of test/clock/instants.ts, each run a project named
 * `<kind>@<instant>` with LANDLINE_TEST_NOW set. Unit tests get a pinned system clock; the
 * end-to-end tests' local run gets its clock injected (something only the local run can do).
 */
const awkwardInstantProjects = AWKWARD_INSTANTS.flatMap(({ name, at }): TestProjectConfiguration[] => [
  {
    extends: true,
    test: {
      name: `unit@${name}`,
      include: ['test/unit/**/*.test.ts'],
      env: { LANDLINE_TEST_NOW: at, LANDLINE_PIN_SYSTEM_TIME: '1' },
      setupFiles: ['test/support/pinned-system-time.ts'],
    },
  },
  {
    extends: true,
    test: { name: `e2e@${name}`, include: TIME_DEPENDENT_E2E, env: { LANDLINE_TEST_NOW: at } },
  },
]);

export default defineConfig({
  test: {
    pool: 'forks',
    // Upper bounds for a stuck test, not speed targets: waits inside stretch with the machine's
    // measured slowdown (test/support/emulators.ts), so these must leave room for a busy machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration and e2e tests start their own emulators; keep parallelism modest on 2 cores.
    maxWorkers: 2,
    // As on a local run: EMF metric lines would only bury the test output.
    env: { POWERTOOLS_METRICS_DISABLED: 'true' },
    // CI asks for a JSON report as well, to print a plain "N passed, N failed" closing line.
    ...(process.env.VITEST_JSON
      ? { reporters: ['default', 'json'], outputFile: { json: process.env.VITEST_JSON } }
      : {}),
    // `main` is every test at the real now; the rest is the sweep (`npm run test:clock` alone).
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/browser/**'],
        },
      },
      // The console in Debian's chromium against a local run; its bundle is built once, first.
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/global-setup.ts'],
        },
      },
      ...awkwardInstantProjects,
    ],
  },
});
