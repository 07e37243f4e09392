/**
 * The SQS-triggered handlers answer each batch with that batch's own failures, even when one module
 * instance runs several batches at once (the local run does; Lambda does not). A processor shared
 * across batches mixed them up: a batch's failed message went missing from its response and was
 * deleted as if processed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

const dynamo = mockClient(DynamoDBDocumentClient);
let dir: string;
const handlers: Record<'route' | 'notify', BatchHandler> = {} as Record<'route' | 'notify', BatchHandler>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'landline-batch-'));
  vi.stubEnv('AWS_REGION', 'cn-north-1');
  vi.stubEnv('TABLE_NAME', 'landline-test');
  vi.stubEnv(
    'ASSIGNMENT_QUEUE_URLS',
    JSON.stringify({ brigade: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/triage' }),
  );
  vi.stubEnv('NOTIFY_MODE', 'outbox');
  vi.stubEnv('OUTBOX_FILE', join(dir, 'outbox.jsonl'));
  vi.stubEnv('LOG_LEVEL', 'SILENT');
  dynamo.on(QueryCommand).resolves({ Items: [] });
  handlers.route = (await import('../../functions/route/handler.js')).handler as unknown as BatchHandler;
  handlers.notify = (await import('../../functions/notify/handler.js')).handler as unknown as BatchHandler;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  dynamo.restore();
  await rm(dir, { recursive: true, force: true });
});

const context = {
  awsRequestId: 'req',
  functionName: 'batch',
  getRemainingTimeInMillis: () => 10_000,
} as Context;

/** A batch whose messages all fail (bodies that are not messages of this pipeline). */
function failingBatch(prefix: string, size: number): SQSEvent {
  return {
    Records: Array.from({ length: size }, (_, i) => ({
      messageId: `${prefix}-${i}`,
      receiptHandle: `${prefix}-${i}`,
      body: '{"not":"a message"}',
      attributes: {} as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws-cn:sqs:cn-north-1:123456789012:queue',
      awsRegion: 'cn-north-1',
    })),
  };
}

describe.each(['route', 'notify'] as const)('the %s handler', (name) => {
  it('answers concurrent batches each with its own failed messages', async () => {
    const batches = ['a', 'b', 'c'].map((prefix, i) => failingBatch(prefix, i + 1));
    // A batch that fails entirely is answered by throwing (Lambda then retries all of it); anything
    // else must name exactly this batch's messages.
    const failedIds = await Promise.all(
      batches.map((batch) =>
        handlers[name](batch, context).then(
          (response) => (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier).sort(),
          (error: Error) =>
            error.name === 'FullBatchFailureError' ? batch.Records.map((r) => r.messageId) : error,
        ),
      ),
    );
    expect(failedIds).toEqual(batches.map((batch) => batch.Records.map((record) => record.messageId)));
  });
});
