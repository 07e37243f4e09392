/**
 * Intake CPU per tip: the whole intake path, adapter and use case (signature, JSON, zod, sealing the
 * reporter with the local run's real vault) with an in-memory queue standing in for the SQS send;
 * and its floor, measured beside it on the same bodies: what any intake must do (check the
 * signature, parse the JSON, build the SQS message), so that the ratio of the two says how much
 * landline adds, whatever the machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createReporterVault } from '../../shared/adapters/reporter-vault.js';
import type { Source } from '../../shared/domain/model.js';
import { acceptTipDelivery } from '../../shared/http/intake.js';
import { verifyWebhook } from '../../shared/http/webhook.js';
import { makeTip, TEST_SECRETS, webhookHeaders } from '../fixtures/tips.js';
import { MemoryTipQueue } from '../support/memory-ports.js';

export interface IntakeCpu {
  /** µs of CPU per tip through the whole intake path. */
  usPerTip: number;
  /** µs of CPU per tip for the floor: signature check, JSON parse, the SQS message built. */
  floorUsPerTip: number;
}

/** CPU µs per call of `step` over `iterations` calls, after a warm-up of 300. */
async function cpuPerCall(iterations: number, step: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < 300; i++) await step(i);
  const before = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await step(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / iterations;
}

export async function measureIntakeCpu(iterations: number): Promise<IntakeCpu> {
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
    const usPerTip = await cpuPerCall(iterations, async (i) => {
      await acceptTipDelivery(requests[i % requests.length]!, deps);
      if (queue.messages.length > 1000) queue.messages.length = 0;
    });
    const floorUsPerTip = await cpuPerCall(iterations, (i) => {
      const request = requests[i % requests.length]!;
      const rawBody = Buffer.from(request.rawBody, 'utf8');
      verifyWebhook({ headers: request.headers, rawBody, secrets: [TEST_SECRETS[request.source]], now });
      const body = JSON.parse(rawBody.toString('utf8')) as unknown;
      return new SendMessageCommand({
        QueueUrl: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/landline-intake',
        MessageBody: JSON.stringify(body),
        MessageAttributes: { source: { DataType: 'String', StringValue: request.source } },
      });
    });
    return { usPerTip, floorUsPerTip };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
