import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JAVA_MISSING_MESSAGE, javaMajorVersion, startDynamoDbLocal } from '../../infra/local/emulators.js';
import type { LocalHandlers } from '../../infra/local/stack.js';
import { waitFor } from '../support/emulators.js';
import { startTestStack, type TestLocalStack } from '../support/local-stack.js';

/**
 * Stand-ins for the real handlers that use only what WIRING.md promises: the env names and the
 * SDK's own endpoint variables. If the stack wires anything wrongly, they fail.
 */
const sqs = () => new SQSClient({});
const dynamo = () => new DynamoDBClient({});
let failNotifyFor: string | undefined;
const sweeps: ScheduledEvent[] = [];

const handlers: LocalHandlers = {
  intake: async (event: APIGatewayProxyEventV2) => {
    const tipId = `tip_${event.pathParameters?.source}_${JSON.parse(event.body ?? '{}').id}`;
    const client = sqs();
    await client.send(
      new SendMessageCommand({
        QueueUrl: process.env.INTAKE_QUEUE_URL,
        MessageBody: JSON.stringify({ tipId }),
      }),
    );
    client.destroy();
    return { statusCode: 202, body: JSON.stringify({ tipId, status: 'queued' }) };
  },
  api: async (event: APIGatewayProxyEventV2) => {
    const client = dynamo();
    const item = await client.send(
      new GetItemCommand({
        TableName: process.env.TABLE_NAME,
        Key: { pk: { S: `TIP#${event.pathParameters?.tipId}` }, sk: { S: 'TIP' } },
      }),
    );
    client.destroy();
    if (!item.Item)
      return { statusCode: 404, body: JSON.stringify({ error: { code: 'not_found', message: 'no' } }) };
    return {
      statusCode: 200,
      body: JSON.stringify({ tipId: event.pathParameters?.tipId, status: item.Item.status?.S }),
    };
  },
  route: async (event: SQSEvent) => {
    const urls = JSON.parse(process.env.ASSIGNMENT_QUEUE_URLS ?? '{}') as Record<string, string>;
    const db = dynamo();
    const client = sqs();
    for (const record of event.Records) {
      const { tipId } = JSON.parse(record.body) as { tipId: string };
      await db.send(
        new PutItemCommand({
          TableName: process.env.TABLE_NAME,
          Item: { pk: { S: `TIP#${tipId}` }, sk: { S: 'TIP' }, status: { S: 'routed' } },
        }),
      );
      await client.send(
        new SendMessageCommand({ QueueUrl: urls['bureau:guli'], MessageBody: JSON.stringify({ tipId }) }),
      );
    }
    db.destroy();
    client.destroy();
    return { batchItemFailures: [] };
  },
  notify: async (event: SQSEvent) => {
    const failures = [];
    for (const record of event.Records) {
      const { tipId } = JSON.parse(record.body) as { tipId: string };
      if (tipId === failNotifyFor) {
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      await appendFile(process.env.OUTBOX_FILE!, `${JSON.stringify({ tipId, kind: 'assignment' })}\n`);
    }
    return { batchItemFailures: failures };
  },
  sweep: async (event: ScheduledEvent) => {
    sweeps.push(event);
  },
};

const post = (stack: TestLocalStack, id: string) =>
  fetch(`${stack.url}/v1/tips/12336`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });

const outboxTips = async (stack: TestLocalStack) => {
  if (!existsSync(stack.outboxFile)) return [];
  const text = await readFile(stack.outboxFile, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { tipId: string }).tipId);
};

describe('local stack with injected handlers', () => {
  let stack: TestLocalStack;
  beforeAll(async () => {
    stack = await startTestStack({ handlers });
  });
  afterAll(async () => {
    await stack?.cleanup();
  });

  it('is healthy and sets the WIRING environment for the handlers', async () => {
    const health = await fetch(`${stack.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(process.env).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: stack.endpoints.sqs,
      TABLE_NAME: 'landline',
      INTAKE_QUEUE_URL: stack.queues.intake.url,
      NOTIFY_MODE: 'outbox',
      OUTBOX_FILE: join(stack.dataDir, 'outbox.jsonl'),
      REPORTER_KEY_FILE: join(stack.dataDir, 'reporter.key'),
    });
    const assignment = JSON.parse(process.env.ASSIGNMENT_QUEUE_URLS!) as Record<string, string>;
    expect(Object.keys(assignment)).toHaveLength(13);
    expect(assignment.brigade).toBe(stack.queues.triage.url);
    expect(assignment['bureau:haiyu']).toBe(stack.queues.bureaus.haiyu.url);
    expect(JSON.parse(process.env.API_TOKENS!)['dev-brigade']).toBe('brigade');
    expect(process.env.SOURCE_SECRET_CITY_MANAGEMENT).toMatch(/^whsec_/);
  });

  it('carries a tip from the gateway through both queues to the outbox', async () => {
    const response = await post(stack, 'one');
    expect(response.status).toBe(202);
    const { tipId } = (await response.json()) as { tipId: string };
    await waitFor(async () => (await outboxTips(stack)).includes(tipId), { what: 'the outbox line' });
    const status = await fetch(`${stack.url}/v1/tips/${tipId}`);
    expect(await status.json()).toEqual({ tipId, status: 'routed' });
  });

  it('runs the sweep handler with a scheduled event', async () => {
    await stack.sweepNow();
    expect(sweeps.at(-1)).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      region: 'us-east-1',
    });
  });

  it('keeps cases and queued messages across a restart', async () => {
    failNotifyFor = 'tip_12336_stuck';
    const stuck = await post(stack, 'stuck');
    expect(stuck.status).toBe(202);
    // Routed (stored) but its notification keeps failing, so it waits in the bureau queue.
    await waitFor(async () => (await fetch(`${stack.url}/v1/tips/tip_12336_stuck`)).status === 200, {
      what: 'routing',
    });
    await new SQSClient({}).send(
      new SendMessageCommand({ QueueUrl: stack.queues.intake.dlqUrl, MessageBody: 'dead' }),
    );

    stack = await stack.restart();
    failNotifyFor = undefined;

    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
    expect(existsSync(join(stack.dataDir, 'queues.json'))).toBe(false);
    expect(await (await fetch(`${stack.url}/v1/tips/tip_12336_one`)).json()).toEqual({
      tipId: 'tip_12336_one',
      status: 'routed',
    });
    await waitFor(async () => (await outboxTips(stack)).includes('tip_12336_stuck'), {
      what: 'the restored message to be delivered',
    });
    const { ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    const dead = await new SQSClient({}).send(
      new ReceiveMessageCommand({ QueueUrl: stack.queues.intake.dlqUrl, WaitTimeSeconds: 0 }),
    );
    expect(dead.Messages?.map((message) => message.Body)).toEqual(['dead']);
  });

  it('stops cleanly: health goes away and DynamoDB Local is gone', async () => {
    const { url, endpoints } = stack;
    await stack.cleanup();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    await expect(fetch(endpoints.dynamodb)).rejects.toThrow();
  });
});

describe('Java check', () => {
  it('reads old and new version strings', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('command not found')).toBeUndefined();
  });

  it('fails with the one-line install hint when java is not on the PATH', async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), 'landline-nojava-'));
    const path = process.env.PATH;
    process.env.PATH = emptyDir;
    try {
      await expect(startDynamoDbLocal()).rejects.toMatchObject({
        name: 'LocalRunError',
        message: JAVA_MISSING_MESSAGE,
      });
    } finally {
      process.env.PATH = path;
      await rm(emptyDir, { recursive: true, force: true });
    }
    expect(JAVA_MISSING_MESSAGE).not.toContain('\n');
  });
});
