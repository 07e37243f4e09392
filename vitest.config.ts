import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and e2e tests start their own emulators; keep parallelism modest on 2 cores.
    maxWorkers: 2,
    // As on a local run: EMF metric lines would only bury the test output.
    env: { POWERTOOLS_METRICS_DISABLED: 'true' },
    // CI asks for a JSON report as well, to print a plain "N passed, N failed" closing line.
    ...(process.env.VITEST_JSON
      ? { reporters: ['default', 'json'], outputFile: { json: process.env.VITEST_JSON } }
      : {}),
  },
});
