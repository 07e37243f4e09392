import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { type RedriveIo, redrive, resolveQueueNames } from '../../infra/ops/redrive.js';

const sqs = mockClient(SQSClient);
const client = new SQSClient({
  region: 'cn-north-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const arnOf = (name: string) => `arn:aws-cn:sqs:cn-north-1:123456789012:${name}`;
const urlOf = (name: string) => `https://sqs.cn-north-1.amazonaws.com.cn/123456789012/${name}`;

function io(): RedriveIo & { lines: string[]; sleeps: number } {
  const state = { lines: [] as string[], sleeps: 0 };
  return Object.assign(state, {
    log: (line: string) => state.lines.push(line),
    sleep: async () => {
      state.sleeps += 1;
    },
  });
}

/** Queue `name` dead-lettering into `${name}-dlq` (or into `dlqOverride`). */
function givenQueues(name: string, dlqVisible: number, dlqOverride?: string) {
  sqs.on(GetQueueUrlCommand).callsFake(({ QueueName }: { QueueName: string }) => {
    if (QueueName !== name && QueueName !== `${name}-dlq`)
      throw new QueueDoesNotExist({ message: 'no', $metadata: {} });
    return { QueueUrl: urlOf(QueueName) };
  });
  sqs.on(GetQueueAttributesCommand, { QueueUrl: urlOf(name) }).resolves({
    Attributes: {
      QueueArn: arnOf(name),
      ApproximateNumberOfMessages: '0',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: arnOf(dlqOverride ?? `${name}-dlq`),
        maxReceiveCount: 5,
      }),
    },
  });
  sqs.on(GetQueueAttributesCommand, { QueueUrl: urlOf(`${name}-dlq`) }).resolves({
    Attributes: { QueueArn: arnOf(`${name}-dlq`), ApproximateNumberOfMessages: String(dlqVisible) },
  });
}

beforeEach(() => sqs.reset());

describe('resolveQueueNames', () => {
  it.each([
    ['bureau-guli', 'landline-dev-bureau-guli'],
    ['intake', 'landline-dev-intake'],
    ['landline-dev-triage', 'landline-dev-triage'],
    ['landline-dev-triage-dlq', 'landline-dev-triage'],
  ])('%s → %s and its DLQ', (input, queueName) => {
    expect(resolveQueueNames(input, 'landline-dev-')).toEqual({ queueName, dlqName: `${queueName}-dlq` });
  });

  it('refuses something that is not a queue name', () => {
    expect(() => resolveQueueNames('https://sqs/x', 'landline-dev-')).toThrow(/not a queue name/);
  });
});

describe('redrive with a message move task', () => {
  it('moves from the DLQ ARN to the queue ARN and reports progress until completed', async () => {
    givenQueues('landline-prod-bureau-guli', 3);
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'handle-1' });
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({
        Results: [
          { Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 3 },
        ],
      })
      .resolves({
        Results: [
          { Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 },
        ],
      });
    const out = io();

    const result = await redrive(
      client,
      { queue: 'bureau-guli', prefix: 'landline-prod-', local: false },
      out,
    );

    expect(result).toEqual({ moved: 3, status: 'COMPLETED' });
    const start = sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input;
    expect(start).toMatchObject({
      SourceArn: arnOf('landline-prod-bureau-guli-dlq'),
      DestinationArn: arnOf('landline-prod-bureau-guli'),
    });
    expect(sqs.commandCalls(ListMessageMoveTasksCommand)[0]?.args[0].input.SourceArn).toBe(
      arnOf('landline-prod-bureau-guli-dlq'),
    );
    expect(out.lines).toEqual(expect.arrayContaining(['RUNNING: 1 of 3 moved', 'COMPLETED: 3 of 3 moved']));
    expect(out.sleeps).toBe(2);
  });

  it('fails with the reason when the task fails', async () => {
    givenQueues('landline-dev-intake', 1);
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'h' });
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [{ Status: 'FAILED', FailureReason: 'AccessDenied', ApproximateNumberOfMessagesMoved: 0 }],
    });
    await expect(
      redrive(client, { queue: 'intake', prefix: 'landline-dev-', local: false }, io()),
    ).rejects.toThrow(/FAILED: AccessDenied/);
  });

  it('moves nothing when the DLQ does not belong to the queue', async () => {
    givenQueues('landline-dev-intake', 1, 'landline-dev-triage-dlq');
    await expect(
      redrive(client, { queue: 'intake', prefix: 'landline-dev-', local: false }, io()),
    ).rejects.toThrow(/not the dead-letter queue/);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('names a queue that does not exist', async () => {
    givenQueues('landline-dev-intake', 0);
    await expect(
      redrive(client, { queue: 'bureau-nowhere', prefix: 'landline-dev-', local: false }, io()),
    ).rejects.toThrow(/landline-dev-bureau-nowhere does not exist/);
  });
});

describe('redrive against a local endpoint', () => {
  it('receives, re-sends with attributes and deletes only what was sent, batch by batch', async () => {
    givenQueues('landline-triage', 11);
    const batch = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        Body: `m${from + i}`,
        ReceiptHandle: `r${from + i}`,
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'assignment' } },
      }));
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: batch(0, 10) })
      .resolvesOnce({ Messages: batch(10, 1) })
      .resolves({ Messages: [] });
    sqs.on(SendMessageBatchCommand).callsFake(({ Entries }: { Entries: { Id: string }[] }) => ({
      Successful: Entries.map((e) => ({ Id: e.Id, MessageId: `x${e.Id}`, MD5OfMessageBody: '' })),
      Failed: [],
    }));
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const out = io();

    const result = await redrive(client, { queue: 'triage', prefix: 'landline-', local: true }, out);

    expect(result.moved).toBe(11);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
    const sent = sqs.commandCalls(SendMessageBatchCommand);
    expect(sent[0]?.args[0].input.QueueUrl).toBe(urlOf('landline-triage'));
    expect(sent[0]?.args[0].input.Entries?.[0]).toMatchObject({
      MessageBody: 'm0',
      MessageAttributes: { kind: { StringValue: 'assignment' } },
    });
    const deleted = sqs.commandCalls(DeleteMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(deleted.map((e) => e.ReceiptHandle)).toEqual(batch(0, 11).map((m) => m.ReceiptHandle));
    expect(out.lines.some((l) => l.includes('local endpoint'))).toBe(true);
  });

  it('keeps a message in the DLQ when re-sending it failed', async () => {
    givenQueues('landline-intake', 2);
    sqs.on(ReceiveMessageCommand).resolvesOnce({
      Messages: [
        { Body: 'a', ReceiptHandle: 'ra' },
        { Body: 'b', ReceiptHandle: 'rb' },
      ],
    });
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'x', MD5OfMessageBody: '' }],
      Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }],
    });
    sqs.on(DeleteMessageBatchCommand).resolves({});
    await expect(
      redrive(client, { queue: 'intake', prefix: 'landline-', local: true }, io()),
    ).rejects.toThrow(/1 message\(s\) could not be re-sent; 1 moved/);
    const deleted = sqs.commandCalls(DeleteMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(deleted.map((e) => e.ReceiptHandle)).toEqual(['ra']);
  });
});

describe('choosing how to redrive', () => {
  it('receives and re-sends where SQS has no move task: locally and in the China regions, or when asked', async () => {
    const { usesResend } = await import('../../infra/ops/redrive.js');
    expect(usesResend({ local: false, region: 'cn-north-1' })).toBe(true);
    expect(usesResend({ local: false, region: 'cn-northwest-1' })).toBe(true);
    expect(usesResend({ local: true, region: 'us-east-1' })).toBe(true);
    expect(usesResend({ local: false, region: 'ap-southeast-1', forced: true })).toBe(true);
    expect(usesResend({ local: false, region: 'ap-southeast-1' })).toBe(false);
    expect(usesResend({ local: false })).toBe(false);
  });
});
