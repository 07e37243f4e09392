import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { make12336Tip, TEST_SECRETS, webhookHeaders } from '../fixtures/tips.js';

const sqs = mockClient(SQSClient);
let dir: string;
let handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'landline-intake-'));
  vi.stubEnv('AWS_REGION', 'cn-north-1');
  vi.stubEnv('INTAKE_QUEUE_URL', 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/intake');
  vi.stubEnv('TABLE_NAME', 'landline-test');
  vi.stubEnv('SOURCE_SECRET_12336', `${TEST_SECRETS['12345']}, ${TEST_SECRETS['12336']}`);
  vi.stubEnv('SOURCE_SECRET_12345', TEST_SECRETS['12345']);
  vi.stubEnv('SOURCE_SECRET_CITY_MANAGEMENT', TEST_SECRETS['city-management']);
  vi.stubEnv('REPORTER_KEY_FILE', join(dir, 'reporter.key'));
  vi.stubEnv('LOG_LEVEL', 'SILENT');
  ({ handler } = await import('../../functions/intake/handler.js'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => sqs.reset());

function event(body: string, headers: Record<string, string>, base64 = false): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /v1/tips/{source}',
    rawPath: '/v1/tips/12336',
    rawQueryString: '',
    headers,
    pathParameters: { source: '12336' },
    requestContext: { requestId: 'req-1', http: { method: 'POST', path: '/v1/tips/12336' } },
    body: base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  } as unknown as APIGatewayProxyEventV2;
}

const context = {
  awsRequestId: 'req-1',
  functionName: 'intake',
  getRemainingTimeInMillis: () => 10_000,
} as Context;

describe('intake handler', () => {
  it.each([false, true])('answers 202 and sends one SQS message (base64 body: %s)', async (base64) => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const body = JSON.stringify(make12336Tip());
    const response = (await handler(
      event(body, webhookHeaders(TEST_SECRETS['12336'], body), base64),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(String(response.body))).toEqual({
      tipId: expect.stringMatching(/^tip_/),
      status: 'queued',
    });
    const sent = sqs.commandCalls(SendMessageCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.args[0].input.MessageBody).not.toContain('13912345678');
  });

  it('maps a use-case error to the contract error shape and sends nothing', async () => {
    const body = JSON.stringify(make12336Tip());
    const response = (await handler(
      event(body, { ...webhookHeaders(TEST_SECRETS['city-management'], body) }),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(String(response.body)).error.code).toBe('unauthenticated');
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('answers 429 when SQS throttles', async () => {
    sqs
      .on(SendMessageCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const body = JSON.stringify(make12336Tip());
    const response = (await handler(
      event(body, webhookHeaders(TEST_SECRETS['12336'], body)),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(429);
  });
});
