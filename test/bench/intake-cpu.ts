/**
 * Intake CPU per tip: the whole intake path, adapter and use case (signature, JSON, zod, sealing the reporter with
 * the local run's real vault) with an in-memory queue standing in for the SQS send.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReporterVault } from '../../shared/adapters/reporter-vault.js';
import type { Source } from '../../shared/domain/model.js';
import { acceptTipDelivery } from '../../shared/http/intake.js';
import { makeTip, TEST_SECRETS, webhookHeaders } from '../fixtures/tips.js';
import { MemoryTipQueue } from '../support/memory-ports.js';

export async function measureIntakeCpu(iterations: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'landline-intake-bench-'));
  try {
    const vault = createReporterVault({ REPORTER_KEY_FILE: join(dir, 'reporter.key') });
    const queue = new MemoryTipQueue();
    const now = new Date();
    const sources: Source[] = ['12336', '12345', 'city-management'];
    const requests = sources.map((source) => {
      const raw = JSON.stringify(makeTip(source, now));
      return { source, rawBody: raw, headers: webhookHeaders(TEST_SECRETS[source], raw, { now }) };
    });
    const deps = { secrets: (s: Source) => [TEST_SECRETS[s]], queue, vault, clock: { now: () => now } };
    const run = async (n: number) => {
      for (let i = 0; i < n; i++) await acceptTipDelivery(requests[i % requests.length]!, deps);
      queue.messages.length = 0;
    };
    await run(300); // warm up the JIT and the key
    const before = process.cpuUsage();
    await run(iterations);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / iterations;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
