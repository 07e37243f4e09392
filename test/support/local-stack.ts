/**
 * A full local stack for end-to-end tests, in its own temporary DATA_DIR that is removed afterwards.
 * It sets process.env for the handlers (as `npm start` does) and puts the previous values back on
 * cleanup. The real handlers load once per process: `restart()` reuses the emulator ports for that.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_API_TOKENS, DEV_BRIGADE_TOKEN, DEV_SOURCE_SECRETS } from '../../infra/local/dev-defaults.js';
import { DEFAULT_VISIBILITY_TIMEOUT_S } from '../../infra/local/provision.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../infra/local/stack.js';
import type { Source } from '../../shared/domain/model.js';
import { webhookHeaders } from '../fixtures/tips.js';
import { testClock } from './clock.js';
import { waitFor } from './emulators.js';

export { DEV_API_TOKENS, DEV_BRIGADE_TOKEN, DEV_SOURCE_SECRETS };

export interface TestLocalStack extends LocalStack {
  /** Stops (draining and saving queued messages) and starts again on the same data dir and ports. */
  restart(): Promise<TestLocalStack>;
  /** Stops the stack, removes the data dir, restores process.env. Safe to call twice. */
  cleanup(): Promise<void>;
}

const portOf = (endpoint: string) => Number(new URL(endpoint).port);

/** For a run that is measured (load, bench): the cloud's visibility timeout and drain, no sweeps. */
export const MEASURED_RUN: Partial<LocalStackOptions> = {
  sweepIntervalS: 3600,
  visibilityTimeoutS: DEFAULT_VISIBILITY_TIMEOUT_S,
  drainTimeoutMs: 15_000,
};

/**
 * Starts the stack on free ports with the development secrets and tokens, quiet, a 2 s visibility
 * timeout (fast retries), the tests' clock (LANDLINE_TEST_NOW) and a sweeper that runs only when
 * the test calls `sweepNow()`.
 *
 * 并单 (contract section 10) is off unless `mergeDuplicates` says otherwise: the fixtures are the
 * contract's example tips, sent again under new ids to stand for distinct cases, which the router
 * would rightly merge into one. Tests of merging (test/e2e/merging.test.ts) turn it on.
 */
export async function startTestStack(
  overrides: Partial<LocalStackOptions> & { mergeDuplicates?: boolean } = {},
): Promise<TestLocalStack> {
  const { mergeDuplicates = false, ...stackOverrides } = overrides;
  const savedEnv = { ...process.env };
  process.env.MERGE_DUPLICATES = mergeDuplicates ? 'on' : 'off';
  const dataDir = stackOverrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'landline-test-')));
  const options: LocalStackOptions = {
    port: 0,
    dataDir,
    secrets: { ...DEV_SOURCE_SECRETS },
    apiTokens: { ...DEV_API_TOKENS },
    sweepIntervalS: 24 * 3600,
    visibilityTimeoutS: 2,
    drainTimeoutMs: 10_000,
    quiet: true,
    clock: testClock,
    ...stackOverrides,
  };

  const wrap = (stack: LocalStack): TestLocalStack => {
    let cleaned = false;
    return {
      ...stack,
      async restart() {
        await stack.stop();
        const next = await startLocalStack({
          ...options,
          port: portOf(stack.url),
          dynamoDbPort: portOf(stack.endpoints.dynamodb),
          sqsPort: portOf(stack.endpoints.sqs),
        });
        return wrap(next);
      },
      async cleanup() {
        if (cleaned) return;
        cleaned = true;
        try {
          await stack.stop();
        } finally {
          await rm(dataDir, { recursive: true, force: true });
          for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
          Object.assign(process.env, savedEnv);
        }
      },
    };
  };

  try {
    return wrap(await startLocalStack(options));
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Posts `tip` to intake as its source would (signed with the development secret) and, once intake
 * accepted it (202, or the test fails), waits until the router made its case: the case id.
 */
export async function submitAndRoute(stack: LocalStack, source: Source, tip: unknown): Promise<string> {
  const body = JSON.stringify(tip);
  const response = await fetch(`${stack.url}/v1/tips/${source}`, {
    method: 'POST',
    headers: webhookHeaders(DEV_SOURCE_SECRETS[source], body),
    body,
  });
  const accepted = (await response.json()) as { tipId?: string };
  if (response.status !== 202 || !accepted.tipId)
    throw new Error(`intake answered ${response.status}: ${JSON.stringify(accepted)}`);
  return waitFor(
    async () => {
      const status = await fetch(`${stack.url}/v1/tips/${accepted.tipId}`, {
        headers: { authorization: `Bearer ${DEV_BRIGADE_TOKEN}` },
      });
      return status.status === 200 ? ((await status.json()) as { caseId: string }).caseId : undefined;
    },
    { what: 'the tip to be routed', timeoutMs: 20_000 },
  );
}
