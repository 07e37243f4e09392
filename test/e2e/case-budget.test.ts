/**
 * "No single input can hurt anyone else", end to end: one case is pushed to its byte budget with
 * large amendments and long comments. The next large request is refused with 413 case_too_large,
 * an amendment arriving after that is kept beside the case rather than dead-lettered, and the
 * sweep still escalates every overdue case in every area, the full case's own included.
 *
 * The budget is set low (CASE_BYTE_BUDGET) so that reaching it takes seconds, not thousands of
 * requests; the rules are the same at 300 KB.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREAS } from '../../shared/config/jurisdiction/areas.js';
import { make12336Tip, shanghaiIso, webhookHeaders } from '../fixtures/tips.js';
import { receivedWorkingDaysAgo } from '../support/clock.js';
import { clientConfig } from '../support/emulators.js';
import {
  DEV_BRIGADE_TOKEN,
  DEV_SOURCE_SECRETS,
  startTestStack,
  type TestLocalStack,
} from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

// biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field.
type Json = Record<string, any>;

const BUDGET = 14_000;
let stack: TestLocalStack;
let sqs: SQSClient;

beforeAll(async () => {
  process.env.CASE_BYTE_BUDGET = String(BUDGET);
  stack = await startTestStack();
  sqs = new SQSClient(clientConfig(stack.endpoints.sqs));
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  await stack?.cleanup();
  delete process.env.CASE_BYTE_BUDGET;
});

async function api(path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${stack.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${DEV_BRIGADE_TOKEN}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function submit(tip: Json): Promise<string> {
  const body = JSON.stringify(tip);
  const response = await fetch(`${stack.url}/v1/tips/12336`, {
    method: 'POST',
    headers: webhookHeaders(DEV_SOURCE_SECRETS['12336'], body),
    body,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as Json).tipId;
}

async function depth(url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

const allDlqs = () => [
  stack.queues.intake.dlqUrl,
  stack.queues.triage.dlqUrl,
  ...Object.values(stack.queues.bureaus).map((pair) => pair.dlqUrl),
];

/** Received long enough ago that its acknowledge deadline (1 working day) has passed. */
const receivedAt = shanghaiIso(receivedWorkingDaysAgo(2));
const run = Date.now();

/** One tip per area, located by its town field alone. */
function areaTip(area: (typeof AREAS)[number], extra: Json = {}): Json {
  return {
    ...make12336Tip({ reportId: `12336-budget-${run}-${area.id}`, receivedAt }),
    location: { address: `常熟市${area.name}`, town: area.name },
    ...extra,
  };
}

/** A resubmission of the same tip with changed, large content (~57 KB, as reported). */
function largeAmendment(area: (typeof AREAS)[number], version: number): Json {
  return areaTip(area, {
    description: `第${version}次补充：${'在基本农田上违法建设厂房，'.repeat(400)}`.slice(0, 5_000),
    attachments: Array.from({ length: 20 }, (_, i) => ({
      url: `https://files.example.cn/evidence/${version}/${i}/${'x'.repeat(1_900)}.jpg`,
      type: 'image/jpeg',
    })),
  });
}

describe('one case at its byte budget hurts no other case', () => {
  const caseIds = new Map<string, string>();
  const full = AREAS[0]!;

  it('routes one overdue case in every area', async () => {
    const tipIds = await Promise.all(AREAS.map((area) => submit(areaTip(area))));
    await stack.settle();
    for (const [i, tipId] of tipIds.entries()) {
      const { body } = await api(`/v1/tips/${tipId}`);
      caseIds.set(AREAS[i]!.id, body.caseId);
      const { body: record } = await api(`/v1/cases/${body.caseId}`);
      expect(record.area).toBe(AREAS[i]!.id);
      expect(record.overdue).toBe(true);
    }
  });

  it('fills one case to its budget: amendments kept, the next large request refused with 413', async () => {
    const caseId = caseIds.get(full.id)!;
    for (let version = 1; version <= 3; version++) await submit(largeAmendment(full, version));
    await stack.settle();

    let comments = 0;
    let refused: { status: number; body: Json } | undefined;
    while (!refused && comments < 200) {
      const answer = await api(`/v1/cases/${caseId}/events`, {
        method: 'POST',
        body: { type: 'comment', note: `第${comments}条意见：${'现场核查记录'.repeat(330)}` },
      });
      if (answer.status === 200) comments++;
      else refused = answer;
    }
    expect(refused?.status).toBe(413);
    expect(refused?.body.error).toMatchObject({ code: 'case_too_large' });
    expect(refused?.body.error.message).toMatch(new RegExp(`超过其容量上限${BUDGET}字节`));

    // Short comments still fit in what is left, until nothing does.
    for (let i = 0; i < 100; i++) {
      const answer = await api(`/v1/cases/${caseId}/events`, {
        method: 'POST',
        body: { type: 'comment', note: `短评${i}` },
      });
      if (answer.status !== 200) {
        expect(answer.body.error.code).toBe('case_too_large');
        break;
      }
      comments++;
    }

    // The source amends again after the case is full: answered 202 long ago, so kept, not lost.
    await submit(largeAmendment(full, 4));
    await stack.settle();
    for (const url of allDlqs()) expect(await depth(url)).toBe(0);

    const { status, body: record } = await api(`/v1/cases/${caseId}`);
    expect(status).toBe(200);
    const amendments = record.events.filter((e: Json) => e.type === 'amended');
    expect(amendments).toHaveLength(4);
    expect(amendments.map((e: Json) => e.unapplied === true)).toEqual([false, false, false, true]);
    // Every amendment's content is there, the kept one's included.
    expect(amendments.map((e: Json) => e.amended?.attachments?.length)).toEqual([20, 20, 20, 20]);
    // The first three in whatever order the queue delivered them; the kept one last.
    expect(amendments.map((e: Json) => e.amended?.description.slice(0, 6)).sort()).toEqual(
      [1, 2, 3, 4].map((v) => `第${v}次补充：`),
    );
    expect(record.events.filter((e: Json) => e.type === 'comment')).toHaveLength(comments);
  });

  it('escalates every overdue case in every area in one sweep, the full one included', async () => {
    await stack.sweepNow();
    await stack.settle();
    const escalations = (await readOutbox<Json>(stack.outboxFile)).filter(
      (line) => line.kind === 'escalation' && line.deadline === 'acknowledge',
    );
    for (const area of AREAS) {
      const caseId = caseIds.get(area.id)!;
      expect(
        escalations
          .filter((line) => line.caseId === caseId)
          .map((line) => line.target)
          .sort(),
        area.id,
      ).toEqual(['brigade', `bureau:${area.id}`]);
    }
    const { body: record } = await api(`/v1/cases/${caseIds.get(full.id)}`);
    expect(record.deadlines.find((d: Json) => d.kind === 'acknowledge').breachedAt).not.toBeNull();
    for (const url of allDlqs()) expect(await depth(url)).toBe(0);
  });
});
