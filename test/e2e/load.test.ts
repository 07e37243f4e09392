/**
 * Issue 7's acceptance on a real local run: hundreds of signed tips over HTTP, a quarter of them sent
 * twice, twenty at a time, end with every tip in exactly one case and one assignment each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../load/load.js';
import { startTestStack, type TestLocalStack } from '../support/local-stack.js';

let stack: TestLocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.cleanup();
});

describe('a concurrent load with re-sends', () => {
  it('ends with every tip in exactly one case, each assigned once', async () => {
    const result = await runLoad({
      tips: 200,
      concurrency: 20,
      resendShare: 0.25,
      url: stack.url,
      dataDir: stack.dataDir,
      log: () => undefined,
    });
    expect(result.requests).toBe(250);
    expect(result.refusals).toEqual({});
    expect(result.cases).toBe(200);
    expect(result.assignments).toBe(200);
    expect(result.exactlyOnce).toBe(true);
  }, 240_000);
});
