/**
 * End to end over HTTP against a local run (emulators, gateway, pollers, real handlers): the
 * contract's intake responses, a tip from each source becoming a routed case with one assignment,
 * retries and amendments, reporter confidentiality in the outbox, restart durability, and the
 * router's batch semantics with a poison message.
 */

import { readFile } from 'node:fs/promises';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../shared/domain/model.js';
import { make12336Tip, make12345Tip, makeCityManagementTip, webhookHeaders } from '../fixtures/tips.js';
import { canonicalTip } from '../support/canonical-tip.js';
import { clientConfig, waitFor } from '../support/emulators.js';
import {
  DEV_BRIGADE_TOKEN,
  DEV_SOURCE_SECRETS,
  startTestStack,
  type TestLocalStack,
} from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

// biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field; a schema per test adds nothing.
type Json = Record<string, any>;

let stack: TestLocalStack;
let sqs: SQSClient;

beforeAll(async () => {
  stack = await startTestStack();
  sqs = new SQSClient(clientConfig(stack.endpoints.sqs));
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.cleanup();
});

const SOURCE_PATH: Record<Source, string> = {
  '12336': '12336',
  '12345': '12345',
  'city-management': 'city-management',
};

async function post(source: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${stack.url}/v1/tips/${source}`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Json };
}

async function submit(source: Source, payload: unknown, options: { id?: string } = {}) {
  const body = JSON.stringify(payload);
  return post(SOURCE_PATH[source], body, webhookHeaders(DEV_SOURCE_SECRETS[source], body, options));
}

async function api(path: string, token = DEV_BRIGADE_TOKEN) {
  const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Json };
}

async function tipStatus(tipId: string) {
  return waitFor(
    async () => {
      const response = await api(`/v1/tips/${tipId}`);
      return response.status === 200 ? response.body : undefined;
    },
    { what: `tip ${tipId} to be routed`, timeoutMs: 20_000 },
  );
}

async function outbox(): Promise<Array<Json>> {
  return readOutbox<Json>(stack.outboxFile);
}

async function queueDepth(url: string): Promise<number> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(result.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

describe('intake responses (contract 2.4) over HTTP', () => {
  const body = () => JSON.stringify(make12336Tip({ reportId: `e2e-errors-${Date.now()}` }));

  it.each<[string, () => Promise<{ status: number; body: Json }>, number, string]>([
    [
      'an unknown source',
      async () => post('110', body(), webhookHeaders(DEV_SOURCE_SECRETS['12336'], body())),
      404,
      'unknown_source',
    ],
    [
      'a non-JSON media type',
      async () => {
        const b = body();
        return post('12336', b, {
          ...webhookHeaders(DEV_SOURCE_SECRETS['12336'], b),
          'content-type': 'text/plain',
        });
      },
      415,
      'unsupported_media_type',
    ],
    [
      'a body over 256 KiB',
      async () => {
        const b = JSON.stringify(make12336Tip({ description: 'x'.repeat(270_000) }));
        return post('12336', b, webhookHeaders(DEV_SOURCE_SECRETS['12336'], b));
      },
      413,
      'payload_too_large',
    ],
    [
      'a missing signature',
      async () => post('12336', body(), { 'content-type': 'application/json' }),
      401,
      'unauthenticated',
    ],
    [
      'a signature by another source’s secret',
      async () => {
        const b = body();
        return post('12336', b, webhookHeaders(DEV_SOURCE_SECRETS['12345'], b));
      },
      401,
      'unauthenticated',
    ],
    [
      'a stale timestamp',
      async () => {
        const b = body();
        return post(
          '12336',
          b,
          webhookHeaders(DEV_SOURCE_SECRETS['12336'], b, { now: new Date(Date.now() - 301_000) }),
        );
      },
      401,
      'unauthenticated',
    ],
    [
      'invalid JSON',
      async () => post('12336', '{"reportId":', webhookHeaders(DEV_SOURCE_SECRETS['12336'], '{"reportId":')),
      400,
      'invalid_json',
    ],
    [
      'a body missing required fields',
      async () => submit('12336', { reportId: 'x' }),
      400,
      'validation_failed',
    ],
    [
      'an unsupported city-management event',
      async () => submit('city-management', { ...makeCityManagementTip(), eventType: 'case.closed' }),
      422,
      'unsupported_event',
    ],
  ])('answers %s with the contract status and code', async (_name, send, status, code) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toBeTypeOf('string');
  });

  it('answers 503 unavailable, queueing nothing, while the intake queue is unreachable', async () => {
    const url = stack.queues.intake.url;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    try {
      const response = await submit('12336', make12336Tip({ reportId: `e2e-503-${Date.now()}` }));
      expect(response).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    } finally {
      const { VisibilityTimeout, RedrivePolicy, MessageRetentionPeriod } = Attributes ?? {};
      await sqs.send(
        new CreateQueueCommand({
          QueueName: url.split('/').pop()!,
          Attributes: { VisibilityTimeout, RedrivePolicy, MessageRetentionPeriod },
        }),
      );
    }
  });

  it('names every failing field and queues nothing for any 4xx', async () => {
    const response = await submit('12336', { reportId: 'x', location: {} });
    const paths = response.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['receivedAt', 'description', 'location']));
    expect(await queueDepth(stack.queues.intake.url)).toBe(0);
    expect(await queueDepth(stack.queues.intake.dlqUrl)).toBe(0);
    expect((await api('/v1/cases')).body.items).toEqual([]);
  });
});

describe('the pipeline', () => {
  const run = Date.now();
  const tips = {
    '12336': make12336Tip({ reportId: `12336-e2e-${run}` }),
    '12345': make12345Tip({ orderNo: `GD-e2e-${run}` }),
    'city-management': makeCityManagementTip({ case: { caseNo: `CS-e2e-${run}` } }),
  } as const;
  const expected = {
    '12336': { area: 'shajiabang', district: 'district-1' },
    '12345': { area: 'haiyu', district: 'district-5' },
    'city-management': { area: 'bixi', district: 'district-5' },
  } as const;
  const tipIds: Partial<Record<Source, string>> = {};

  it('routes a tip from each source to a case with its area, district and deadlines, and one assignment', async () => {
    for (const source of Object.keys(tips) as Source[]) {
      const response = await submit(source, tips[source]);
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ tipId: expect.stringMatching(/^tip_/), status: 'queued' });
      tipIds[source] = response.body.tipId;
    }
    for (const source of Object.keys(tips) as Source[]) {
      const status = await tipStatus(tipIds[source]!);
      expect(status.status).toBe('routed');
      const { body: record } = await api(`/v1/cases/${status.caseId}`);
      expect(record).toMatchObject({
        ...expected[source],
        bureau: `bureau:${expected[source].area}`,
        status: 'assigned',
      });
      expect(record.caseNo).toMatch(/^\d{4}-\d{6}$/);
      expect(record.deadlines.map((d: { kind: string }) => d.kind)).toEqual([
        'acknowledge',
        'inspect',
        'close',
      ]);
      const assignments = await waitFor(
        async () => {
          const lines = (await outbox()).filter((n) => n.caseId === status.caseId && n.kind === 'assignment');
          return lines.length > 0 ? lines : undefined;
        },
        { what: 'the assignment' },
      );
      expect(assignments).toEqual([
        expect.objectContaining({ audience: 'bureau', target: `bureau:${expected[source].area}` }),
      ]);
      expect([...assignments[0]!.sms].length).toBeLessThanOrEqual(70);
    }
  });

  it('answers a retry with a new webhook-id with the same tip id and makes no second case', async () => {
    const again = await submit('12336', tips['12336'], { id: `msg_retry_${run}` });
    expect(again).toMatchObject({ status: 202, body: { tipId: tipIds['12336'] } });
    // Once the retry has passed through the router and the notifier (the local run says so).
    await stack.settle();
    const cases = (await api('/v1/cases?limit=100')).body.items;
    expect(
      cases.filter((c: { tips: Array<{ tipId: string }> }) => c.tips[0]?.tipId === tipIds['12336']),
    ).toHaveLength(1);
    const { caseId } = await tipStatus(tipIds['12336']!);
    expect((await outbox()).filter((n) => n.caseId === caseId && n.kind === 'assignment')).toHaveLength(1);
  });

  it('keeps a changed resubmission as an amendment on the same case', async () => {
    const changed = { ...tips['12345'], content: `${tips['12345'].content}，今天又加盖了一层` };
    const response = await submit('12345', changed);
    expect(response.body.tipId).toBe(tipIds['12345']);
    const { caseId } = await tipStatus(tipIds['12345']!);
    const record = await waitFor(
      async () => {
        const { body } = await api(`/v1/cases/${caseId}`);
        return body.events.some((e: { type: string }) => e.type === 'amended') ? body : undefined;
      },
      { what: 'the amendment' },
    );
    expect(record.events.filter((e: { type: string }) => e.type === 'amended')).toHaveLength(1);
    expect((await api('/v1/cases?limit=100')).body.items).toHaveLength(3);
  });

  it('keeps the reporter out of the outbox but shows it to the brigade', async () => {
    const lines = await readFile(stack.outboxFile, 'utf8');
    for (const secret of ['张三', '13912345678', '李女士', '13800000000'])
      expect(lines).not.toContain(secret);
    const { caseId } = await tipStatus(tipIds['12336']!);
    expect((await api(`/v1/cases/${caseId}`)).body.reporter).toMatchObject({
      name: '张三',
      phone: '13912345678',
    });
  });

  it('keeps cases across a restart', async () => {
    const { caseId } = await tipStatus(tipIds['city-management']!);
    stack = await stack.restart();
    const { status, body } = await api(`/v1/cases/${caseId}`);
    expect(status).toBe(200);
    expect(body.area).toBe('bixi');
  });
});

describe('router batch semantics', () => {
  it('stores nine good tips of a batch once each and parks the poison message in the DLQ', async () => {
    const run = Date.now();
    const good = Array.from({ length: 9 }, (_, i) =>
      canonicalTip({
        externalId: `batch-${run}-${i}`,
        reporter: { anonymous: true },
        receivedAt: new Date().toISOString(),
      }),
    );
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues.intake.url,
        Entries: [
          ...good.map((tip, i) => ({ Id: `good${i}`, MessageBody: JSON.stringify(tip) })),
          { Id: 'poison', MessageBody: '{"tipId": "tip_poison", "not": "a tip"}' },
        ],
      }),
    );
    for (const tip of good) expect((await tipStatus(tip.tipId)).status).toBe('routed');
    const dlqDepth = await waitFor(
      async () => {
        const depth = await queueDepth(stack.queues.intake.dlqUrl);
        return depth > 0 ? depth : undefined;
      },
      { what: 'the poison message to reach the DLQ', timeoutMs: 40_000 },
    );
    expect(dlqDepth).toBe(1);
    const caseIds = new Set(await Promise.all(good.map(async (tip) => (await tipStatus(tip.tipId)).caseId)));
    expect(caseIds.size).toBe(9);
  });

  it('makes one case and one notification of a message delivered twice', async () => {
    const tip = canonicalTip({
      externalId: `twice-${Date.now()}`,
      reporter: { anonymous: true },
      receivedAt: new Date().toISOString(),
    });
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queues.intake.url, MessageBody: JSON.stringify(tip) }),
    );
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queues.intake.url, MessageBody: JSON.stringify(tip) }),
    );
    const { caseId } = await tipStatus(tip.tipId);
    // Both deliveries routed and every hand-over notified: the local run says when it is done.
    await stack.settle();
    expect((await outbox()).filter((n) => n.caseId === caseId && n.kind === 'assignment')).toHaveLength(1);
  });
});
