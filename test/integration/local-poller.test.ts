import { createHash } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startLocalSqs } from '../../infra/local/emulators.js';
import {
  createQueuePoller,
  failedIdsOf,
  type QueuePoller,
  type SqsBatchHandler,
} from '../../infra/local/poller.js';
import { MAX_RECEIVE_COUNT, type ProvisionedQueues, provisionQueues } from '../../infra/local/provision.js';
import { clientConfig, waitFor } from '../support/emulators.js';

let sqs: RunningEmulator;
let client: SQSClient;
let queues: ProvisionedQueues;
let pollers: QueuePoller[] = [];
let round = 0;

// A fresh in-process emulator per test, so that messages a test left invisible cannot leak into the
// next one; a one-second visibility timeout keeps redelivery quick.
beforeEach(async () => {
  round += 1;
  sqs = await startLocalSqs();
  client = new SQSClient(clientConfig(sqs.endpoint));
  queues = await provisionQueues(sqs.endpoint, 1);
});
afterEach(async () => {
  await Promise.all(pollers.map((poller) => poller.stop()));
  pollers = [];
  client.destroy();
  await sqs.stop();
});

function poller(handler: SqsBatchHandler): QueuePoller {
  const created = createQueuePoller({
    functionName: 'test',
    queueUrl: queues.intake.url,
    sqsEndpoint: sqs.endpoint,
    handler,
    idleDelayMs: 50,
  });
  pollers.push(created);
  return created;
}

async function sendBodies(bodies: string[]): Promise<void> {
  await client.send(
    new SendMessageBatchCommand({
      QueueUrl: queues.intake.url,
      Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
    }),
  );
}

async function queueTotal(url: string): Promise<number> {
  const attributes = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(attributes.Attributes?.ApproximateNumberOfMessages);
}

describe('queue poller: Lambda batch semantics against local SQS', () => {
  it('deletes the nine good messages exactly once and sends the poison to the DLQ after maxReceiveCount receives', async () => {
    const bodies = Array.from({ length: 10 }, (_, index) => `message-${round}-${index}`);
    const poison = bodies[3]!;
    await sendBodies(bodies);

    const handled = new Map<string, number>();
    const poisonReceiveCounts: string[] = [];
    const batchSizes: number[] = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      batchSizes.push(event.Records.length);
      const failures = [];
      for (const record of event.Records) {
        handled.set(record.body, (handled.get(record.body) ?? 0) + 1);
        if (record.body === poison) {
          poisonReceiveCounts.push(record.attributes.ApproximateReceiveCount);
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    };
    poller(handler).start();

    const dead = await waitFor(
      async () => {
        const got = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queues.intake.dlqUrl,
            WaitTimeSeconds: 0,
            AttributeNames: ['All'],
          }),
        );
        return got.Messages?.[0];
      },
      { timeoutMs: 20_000, what: 'the poison message in the DLQ' },
    );

    expect(dead.Body).toBe(poison);
    expect(dead.Attributes?.DeadLetterQueueSourceArn).toBe(queues.intake.arn);
    expect(batchSizes[0]).toBe(10);
    for (const body of bodies) if (body !== poison) expect(handled.get(body)).toBe(1);
    expect(handled.get(poison)).toBe(MAX_RECEIVE_COUNT);
    expect(poisonReceiveCounts).toEqual(['1', '2', '3', '4', '5']);
    expect(await queueTotal(queues.intake.url)).toBe(0);
  });

  it('hands the handler a faithful SQS event and a Lambda context', async () => {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queues.intake.url,
        MessageBody: '{"tipId":"tip_1"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'tip' } },
      }),
    );
    let seen: { event: SQSEvent; remaining: number; name: string } | undefined;
    const polled = poller(async (event, context) => {
      seen = { event, remaining: context.getRemainingTimeInMillis(), name: context.functionName };
    });
    const outcome = await polled.pollOnce();
    expect(outcome?.failedIds).toEqual([]);
    const record: SQSRecord = seen!.event.Records[0]!;
    expect(record.body).toBe('{"tipId":"tip_1"}');
    expect(record.eventSource).toBe('aws:sqs');
    expect(record.eventSourceARN).toBe(queues.intake.arn);
    expect(record.awsRegion).toBe('us-east-1');
    expect(record.md5OfBody).toBe(createHash('md5').update('{"tipId":"tip_1"}').digest('hex'));
    expect(record.receiptHandle).toBeTruthy();
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
    expect(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThan(0);
    expect(record.messageAttributes).toEqual({
      kind: { stringValue: 'tip', stringListValues: [], binaryListValues: [], dataType: 'String' },
    });
    expect(seen!.name).toBe('landline-test');
    expect(seen!.remaining).toBeGreaterThan(0);
    expect(await queueTotal(queues.intake.url)).toBe(0);
  });

  it('keeps the whole batch when the handler throws; it comes back with a higher receive count', async () => {
    await sendBodies(['a', 'b']);
    let calls = 0;
    const counts: string[][] = [];
    const polled = poller(async (event) => {
      calls += 1;
      counts.push(event.Records.map((record) => record.attributes.ApproximateReceiveCount));
      if (calls === 1) throw new Error('database down');
    });
    const first = await polled.pollOnce();
    expect(first?.failedIds).toHaveLength(2);
    expect(first?.wholeBatchFailure).toMatch(/threw/);
    expect(
      polled
        .heldMessages()
        .map((held) => held.body)
        .sort(),
    ).toEqual(['a', 'b']);
    const second = await waitFor(() => polled.pollOnce(), { what: 'redelivery' });
    expect(second.failedIds).toEqual([]);
    expect(counts).toEqual([
      ['1', '1'],
      ['2', '2'],
    ]);
    expect(polled.heldMessages()).toEqual([]);
    expect(await queueTotal(queues.intake.url)).toBe(0);
  });

  it('treats malformed batchItemFailures as a failure of the whole batch', async () => {
    await sendBodies(['x', 'y']);
    const polled = poller(async () => ({ batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] }));
    const outcome = await polled.pollOnce();
    expect(outcome?.failedIds).toHaveLength(2);
    expect(outcome?.wholeBatchFailure).toMatch(/names no message/);
    expect(await queueTotal(queues.intake.url)).toBe(2);
  });

  it('stop() waits for the batch in progress, which still gets deleted', async () => {
    await sendBodies(['slow']);
    let release!: () => void;
    const started = new Promise<void>((markStarted) => {
      const handler = () =>
        new Promise<void>((done) => {
          release = done;
          markStarted();
        });
      poller(handler).start();
    });
    await started;
    let stopped = false;
    const stopping = pollers[0]!.stop().then(() => {
      stopped = true;
    });
    await new Promise((done) => setImmediate(done));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
    expect(await queueTotal(queues.intake.url)).toBe(0);
  });

  it('drain() returns once the queue is empty, not counting messages held for redelivery', async () => {
    await sendBodies(['ok-1', 'ok-2', 'bad']);
    const running = poller(async (event) => ({
      batchItemFailures: event.Records.filter((record) => record.body === 'bad').map((record) => ({
        itemIdentifier: record.messageId,
      })),
    }));
    running.start();
    expect(await running.drain(5_000)).toBe(true);
    expect(running.heldMessages().map((held) => held.body)).toEqual(['bad']);
  });

  it('drain({ untilEmpty }) also waits for held messages to be retried', async () => {
    await sendBodies(['ok-1', 'flaky']);
    let flakyAttempts = 0;
    const running = poller(async (event) => ({
      batchItemFailures: event.Records.filter(
        (record) => record.body === 'flaky' && ++flakyAttempts === 1,
      ).map((record) => ({ itemIdentifier: record.messageId })),
    }));
    running.start();
    expect(await running.drain(20_000, { untilEmpty: true })).toBe(true);
    expect(flakyAttempts).toBe(2);
    expect(running.heldMessages()).toEqual([]);
    expect(await queueTotal(queues.intake.url)).toBe(0);
  });
});

describe('failedIdsOf', () => {
  const ids = ['m1', 'm2'];
  it('reads nothing, null and an empty list as full success', () => {
    expect(failedIdsOf(undefined, ids)).toEqual({ failedIds: [] });
    expect(failedIdsOf(null, ids)).toEqual({ failedIds: [] });
    expect(failedIdsOf({ batchItemFailures: [] }, ids)).toEqual({ failedIds: [] });
  });
  it('returns the named failures', () => {
    expect(failedIdsOf({ batchItemFailures: [{ itemIdentifier: 'm2' }] }, ids)).toEqual({
      failedIds: ['m2'],
    });
  });
  it('fails the whole batch on anything malformed', () => {
    for (const bad of [
      'nope',
      { batchItemFailures: 'm1' },
      { batchItemFailures: [{}] },
      { batchItemFailures: [{ itemIdentifier: '' }] },
    ]) {
      const read = failedIdsOf(bad, ids);
      expect(read.failedIds).toEqual(ids);
      expect(read.malformed).toBeTruthy();
    }
  });
});
