import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startLocalSqs } from '../../infra/local/emulators.js';
import { createQueuePoller } from '../../infra/local/poller.js';
import { allQueueUrls, provisionQueues } from '../../infra/local/provision.js';
import { restoreQueueMessages, type SavedQueues, saveQueueMessages } from '../../infra/local/queue-store.js';
import { clientConfig } from '../support/emulators.js';

let dir: string;
const running: RunningEmulator[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'landline-queues-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function freshSqs() {
  const sqs = await startLocalSqs();
  running.push(sqs);
  const queues = await provisionQueues(sqs.endpoint, 30);
  return { sqs, queues, client: new SQSClient(clientConfig(sqs.endpoint)) };
}

async function receiveAll(client: SQSClient, url: string) {
  const got = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ['All'],
    }),
  );
  return got.Messages ?? [];
}

describe('queue messages survive a restart of the in-memory SQS', () => {
  it('saves visible, dead-lettered and held (failed, invisible) messages and puts each back on its queue', async () => {
    const first = await freshSqs();
    const file = join(dir, 'queues.json');
    await first.client.send(
      new SendMessageCommand({
        QueueUrl: first.queues.intake.url,
        MessageBody: 'waiting',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'tip' } },
      }),
    );
    await first.client.send(
      new SendMessageCommand({ QueueUrl: first.queues.bureaus.guli.dlqUrl, MessageBody: 'dead' }),
    );
    await first.client.send(
      new SendMessageCommand({ QueueUrl: first.queues.triage.url, MessageBody: 'failing' }),
    );
    const triagePoller = createQueuePoller({
      functionName: 'notify',
      queueUrl: first.queues.triage.url,
      sqsEndpoint: first.sqs.endpoint,
      handler: async () => {
        throw new Error('SNS down');
      },
    });
    await triagePoller.pollOnce();
    await triagePoller.stop();
    // With a 30 s visibility timeout the failed message cannot be received now; only the poller knows it.
    expect(await receiveAll(first.client, first.queues.triage.url)).toEqual([]);

    const saved = await saveQueueMessages({
      sqsEndpoint: first.sqs.endpoint,
      queueUrls: allQueueUrls(first.queues),
      held: triagePoller.heldMessages(),
      file,
    });
    expect(saved).toBe(3);
    const document = JSON.parse(await readFile(file, 'utf8')) as SavedQueues;
    expect(document.messages.map((message) => [message.queue, message.body]).sort()).toEqual([
      ['landline-bureau-guli-dlq', 'dead'],
      ['landline-intake', 'waiting'],
      ['landline-triage', 'failing'],
    ]);
    first.client.destroy();
    await first.sqs.stop();

    const second = await freshSqs();
    const restored = await restoreQueueMessages({
      sqsEndpoint: second.sqs.endpoint,
      queueUrls: allQueueUrls(second.queues),
      file,
    });
    expect(restored).toBe(3);
    expect(existsSync(file)).toBe(false);
    const intake = await receiveAll(second.client, second.queues.intake.url);
    expect(intake.map((message) => message.Body)).toEqual(['waiting']);
    expect(intake[0]!.MessageAttributes?.kind?.StringValue).toBe('tip');
    expect((await receiveAll(second.client, second.queues.bureaus.guli.dlqUrl)).map((m) => m.Body)).toEqual([
      'dead',
    ]);
    expect((await receiveAll(second.client, second.queues.triage.url)).map((m) => m.Body)).toEqual([
      'failing',
    ]);
    second.client.destroy();
  });

  it('writes no file when every queue is empty, and restoring without a file is a no-op', async () => {
    const { sqs, queues, client } = await freshSqs();
    const file = join(dir, 'queues.json');
    expect(
      await saveQueueMessages({ sqsEndpoint: sqs.endpoint, queueUrls: allQueueUrls(queues), file }),
    ).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(
      await restoreQueueMessages({ sqsEndpoint: sqs.endpoint, queueUrls: allQueueUrls(queues), file }),
    ).toBe(0);
    client.destroy();
  });
});
