import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsTipQueue } from '../../shared/adapters/sqs-tip-queue.js';
import type { CanonicalTip } from '../../shared/domain/model.js';

const sqs = mockClient(SQSClient);
beforeEach(() => sqs.reset());

const tip: CanonicalTip = {
  tipId: 'tip_aaaaaaaaaaaaaaaaaaaaaaaaaa',
  source: '12345',
  externalId: 'GD202611280123',
  receivedAt: '2026-11-28T10:02:11+08:00',
  acceptedAt: '2026-11-28T02:05:00.000Z',
  description: '海虞镇福山村七组有人在承包地上建两层楼房',
  urgency: 'normal',
  location: { address: '海虞镇福山村七组' },
  details: { appealType: 'report' },
  attachments: [],
  reporter: { anonymous: false, confidential: true, sealed: 'v1.a.b.c' },
  contentHash: 'f'.repeat(64),
};

describe('SqsTipQueue', () => {
  it('sends the tip as JSON with its source as a message attribute', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const url = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/intake';
    await new SqsTipQueue(new SQSClient({ region: 'cn-north-1' }), url).enqueue(tip);
    const calls = sqs.commandCalls(SendMessageCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.QueueUrl).toBe(url);
    expect(JSON.parse(input?.MessageBody ?? '')).toEqual(tip);
    expect(input?.MessageAttributes?.source).toEqual({ DataType: 'String', StringValue: '12345' });
    expect(input?.MessageGroupId).toBeUndefined();
  });

  it('on a FIFO queue, groups by tip and deduplicates by tip and content', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const queue = new SqsTipQueue(
      new SQSClient({ region: 'cn-north-1' }),
      'https://sqs.example/1/intake.fifo',
    );
    await queue.enqueue(tip);
    await queue.enqueue({ ...tip, contentHash: 'e'.repeat(64) });
    const [first, second] = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(first?.MessageGroupId).toBe(tip.tipId);
    expect(first?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(second?.MessageDeduplicationId).not.toBe(first?.MessageDeduplicationId);
  });

  it('lets SDK errors through for the use case to classify', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sqs.on(SendMessageCommand).rejects(throttled);
    const queue = new SqsTipQueue(new SQSClient({ region: 'cn-north-1' }), 'https://sqs.example/1/intake');
    await expect(queue.enqueue(tip)).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});
