/**
 * SDK faults under test control on a real local run (issue 7): middleware on the handlers' own SDK
 * clients throttles a share of DynamoDB and SQS calls (as if the SDK's retries were exhausted) and
 * fails the first hand-over of every assignment after its case was written — the crash between
 * writing a case and sending its assignment. Sources retry what intake refuses. Every tip still ends
 * in exactly one case, notified exactly once.
 */

import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redrive } from '../../infra/ops/redrive.js';
import type { AreaId, Source } from '../../shared/domain/model.js';
import { make12336Tip, make12345Tip, makeCityManagementTip, webhookHeaders } from '../fixtures/tips.js';
import { clientConfig, waitFor } from '../support/emulators.js';
import {
  DEV_BRIGADE_TOKEN,
  DEV_SOURCE_SECRETS,
  startTestStack,
  type TestLocalStack,
} from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

let stack: TestLocalStack;
const stackLog: string[] = [];
const injected = { throttled: 0, crashedHandOvers: 0 };

class ThrottlingException extends Error {
  override name = 'ThrottlingException';
  $metadata = { httpStatusCode: 400 };
  $retryable = { throttling: true };
}

beforeAll(async () => {
  // A redriven message is a new delivery: let it take over a dead claim after seconds, not minutes.
  process.env.NOTIFY_CLAIM_LEASE_S = '5';
  // The local run's own log lines are kept for a failure's diagnosis; the handlers' stay quiet.
  process.env.LOG_LEVEL ??= 'ERROR';
  stack = await startTestStack({
    visibilityTimeoutS: 1,
    quiet: false,
    log: (line) => stackLog.push(`${new Date().toISOString()} ${line}`),
  });
  // The handlers' clients exist once the stack has loaded them; these are the same instances.
  const { dynamoDocumentClient } = await import('../../shared/adapters/clients/dynamodb.js');
  const { sqsClient } = await import('../../shared/adapters/clients/sqs.js');
  let calls = 0;
  const handedOver = new Set<string>();
  const throttleEvery = (n: number) => () => ++calls % n === 0;
  const shouldThrottle = throttleEvery(13);
  dynamoDocumentClient.middlewareStack.add(
    (next) => async (args) => {
      if (shouldThrottle()) {
        injected.throttled += 1;
        throw new ThrottlingException('Rate of requests exceeds the allowed throughput (injected)');
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectDynamoFaults' },
  );
  sqsClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = (args as { input: { QueueUrl?: string; MessageBody?: string } }).input;
      const command = (context as { commandName?: string }).commandName;
      if (command === 'SendMessageCommand' && input.QueueUrl?.includes('bureau-') && input.MessageBody) {
        const { caseId } = JSON.parse(input.MessageBody) as { caseId: string };
        if (!handedOver.has(caseId)) {
          handedOver.add(caseId);
          injected.crashedHandOvers += 1;
          throw new Error('the router died before the assignment left (injected)');
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectSqsFaults' },
  );
});

afterAll(async () => {
  await stack?.cleanup();
});

async function submit(source: Source, body: unknown): Promise<string> {
  const raw = JSON.stringify(body);
  for (let attempt = 0; attempt < 20; attempt++) {
    const response = await fetch(`${stack.url}/v1/tips/${source}`, {
      method: 'POST',
      headers: webhookHeaders(DEV_SOURCE_SECRETS[source], raw),
      body: raw,
    });
    const payload = (await response.json()) as { tipId?: string };
    if (response.status === 202 && payload.tipId) return payload.tipId;
    // As a hotline system would: retry what was refused as "try again".
    expect([429, 503]).toContain(response.status);
  }
  throw new Error('intake never accepted the tip');
}

describe('the pipeline under SDK faults', () => {
  it('routes every tip to exactly one case and notifies each case exactly once', async () => {
    const run = Date.now();
    const tipIds: string[] = [];
    for (let i = 0; i < 24; i++) {
      const source = (['12336', '12345', 'city-management'] as const)[i % 3]!;
      const body =
        source === '12336'
          ? make12336Tip({ reportId: `faults-${run}-${i}` })
          : source === '12345'
            ? make12345Tip({ orderNo: `faults-${run}-${i}` })
            : makeCityManagementTip({ case: { caseNo: `faults-${run}-${i}` } });
      tipIds.push(await submit(source, body));
    }
    const caseOf = new Map<string, string>();
    await waitFor(
      async () => {
        for (const tipId of tipIds) {
          if (caseOf.has(tipId)) continue;
          const response = await fetch(`${stack.url}/v1/tips/${tipId}`, {
            headers: { authorization: `Bearer ${DEV_BRIGADE_TOKEN}` },
          });
          if (response.status === 200)
            caseOf.set(tipId, ((await response.json()) as { caseId: string }).caseId);
        }
        return caseOf.size === tipIds.length ? true : undefined;
      },
      { what: 'every tip to have a case', timeoutMs: 90_000, intervalMs: 500 },
    );
    const caseIds = new Set(caseOf.values());
    expect(caseIds.size).toBe(tipIds.length);
    // What failed five times in a row is parked in a DLQ: recover it as an operator would.
    const sqs = new SQSClient(clientConfig(stack.endpoints.sqs));
    const redriveAll = async () => {
      let moved = 0;
      for (const area of Object.keys(stack.queues.bureaus) as AreaId[]) {
        const name = stack.queues.bureaus[area].name.replace(/^landline-/, '');
        moved += (
          await redrive(
            sqs,
            { queue: name, prefix: 'landline-', local: true },
            { log: () => undefined, sleep: async () => undefined },
          )
        ).moved;
      }
      moved += (
        await redrive(
          sqs,
          { queue: 'intake', prefix: 'landline-', local: true },
          { log: () => undefined, sleep: async () => undefined },
        )
      ).moved;
      return moved;
    };
    /** What a timeout leaves behind: where each unassigned case's messages and claims are. */
    const diagnose = async (assigned: Set<string>) => {
      const missing = [...caseIds].filter((id) => !assigned.has(id));
      const counts: string[] = [];
      const pairs = [stack.queues.intake, stack.queues.triage, ...Object.values(stack.queues.bureaus)];
      for (const pair of pairs) {
        for (const [name, url] of [
          [pair.name, pair.url],
          [pair.dlqName, pair.dlqUrl],
        ] as const) {
          const { Attributes } = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          );
          const total = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
          if (total > 0)
            counts.push(`${name}: ${total} (${Attributes?.ApproximateNumberOfMessagesNotVisible} in flight)`);
        }
      }
      const dynamo = new DynamoDBClient(clientConfig(stack.endpoints.dynamodb));
      const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: stack.tableName }));
      const claims = Items.filter((item) => missing.some((id) => item.pk?.S?.includes(id))).map((item) =>
        JSON.stringify(item),
      );
      dynamo.destroy();
      return [
        `unassigned cases: ${missing.join(', ')}`,
        `queues holding messages: ${counts.join('; ') || 'none'}`,
        `their items: ${claims.join('\n') || 'none'}`,
        `local run log (last 40 lines):\n${stackLog.slice(-40).join('\n')}`,
      ].join('\n');
    };
    let assignedSoFar = new Set<string>();
    const assignments = await waitFor(
      async () => {
        const lines = await readOutbox<{ caseId: string; kind: string }>(stack.outboxFile);
        const ours = lines.filter((line) => line.kind === 'assignment' && caseIds.has(line.caseId));
        assignedSoFar = new Set(ours.map((line) => line.caseId));
        if (assignedSoFar.size === caseIds.size) return ours;
        await redriveAll();
        return undefined;
      },
      { what: 'every case to be assigned', timeoutMs: 90_000, intervalMs: 500 },
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await diagnose(assignedSoFar)}`);
    });
    // Once every retry still queued has run (the local run says so), count again: nothing may
    // arrive twice.
    await stack.settle();
    const lines = await readOutbox<{ caseId: string; kind: string; target: string }>(stack.outboxFile);
    const keys = lines
      .filter((line) => caseIds.has(line.caseId))
      .map((line) => `${line.caseId}|${line.kind}|${line.target}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(assignments).toHaveLength(caseIds.size);
    // The faults really happened.
    expect(injected.throttled).toBeGreaterThan(10);
    expect(injected.crashedHandOvers).toBe(caseIds.size);
  }, 360_000);
});
