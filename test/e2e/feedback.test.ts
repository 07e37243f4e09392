/**
 * Contract section 9 end to end, over HTTP against a local run whose sources' feedback endpoints are
 * a receiver in this test (infra/local/feedback-receiver.ts: every delivery verified with the
 * `standardwebhooks` package). A short retry schedule; every wait is on a signal from the system
 * (what the receiver got, the API, the outbox), never a sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_FEEDBACK_SECRETS } from '../../infra/local/dev-defaults.js';
import { type FeedbackReceiver, startFeedbackReceiver } from '../../infra/local/feedback-receiver.js';
import { SOURCES, type Source } from '../../shared/domain/model.js';
import {
  make12336Tip,
  make12345Tip,
  makeCityManagementTip,
  shanghaiIso,
  webhookHeaders,
} from '../fixtures/tips.js';
import { testNow } from '../support/clock.js';
import { waitFor } from '../support/emulators.js';
import {
  DEV_BRIGADE_TOKEN,
  DEV_SOURCE_SECRETS,
  startTestStack,
  submitAndRoute,
  type TestLocalStack,
} from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

// biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field.
type Json = Record<string, any>;

let stack: TestLocalStack;
let receiver: FeedbackReceiver;
const run = String(Date.now()).slice(-7);

beforeAll(async () => {
  receiver = await startFeedbackReceiver({ secrets: DEV_FEEDBACK_SECRETS });
  stack = await startTestStack({
    feedback: {
      urls: Object.fromEntries(SOURCES.map((source) => [source, receiver.urlFor(source)])),
      retryScheduleS: [1, 1, 1],
      relayIntervalS: 0.5,
    },
  });
});

afterAll(async () => {
  await stack?.cleanup();
  await receiver?.close();
});

/** The HTTP status as `http`, beside the answer's own fields (a case has a `status` of its own). */
async function api(method: string, path: string, token: string, body?: unknown): Promise<Json> {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { ...(text ? JSON.parse(text) : {}), http: response.status };
}

async function followUp(source: Source, body: unknown, id = `msg_followup_${Math.random()}`) {
  const text = JSON.stringify(body);
  const response = await fetch(`${stack.url}/v1/tips/${source}`, {
    method: 'POST',
    headers: webhookHeaders(DEV_SOURCE_SECRETS[source], text, { id }),
    body: text,
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const tipOf = (source: Source, suffix: string) => {
  switch (source) {
    case '12336':
      return make12336Tip({ reportId: `12336-fb-${run}-${suffix}` });
    case '12345':
      return make12345Tip({ orderNo: `GDFB${run}${suffix}` });
    case 'city-management':
      return makeCityManagementTip({ case: { caseNo: `CSFB${run}${suffix}` } });
  }
};

interface Routed {
  source: Source;
  caseId: string;
  tipId: string;
  externalId: string;
  area: string;
}

async function route(source: Source, suffix: string): Promise<Routed> {
  const body = tipOf(source, suffix);
  const caseId = await submitAndRoute(stack, source, body);
  const record = await api('GET', `/v1/cases/${caseId}`, DEV_BRIGADE_TOKEN);
  expect(record.area, `${source} tip routed to an area`).toBeTruthy();
  return {
    source,
    caseId,
    tipId: record.tips[0].tipId,
    externalId: record.tips[0].externalId,
    area: record.area,
  };
}

const learnt = (routed: Routed, count: number) =>
  waitFor(
    () => {
      const events = receiver.learnt(routed.source, routed.tipId);
      return events.length >= count ? events : undefined;
    },
    { what: `${count} feedback event(s) at the ${routed.source} receiver`, timeoutMs: 30_000 },
  );

const routedCases: Partial<Record<Source, Routed>> = {};

describe('feedback to the sources (contract 9)', () => {
  it('tells each source routed, acknowledged, then closed with the reply, in sequence order, verified', async () => {
    for (const source of SOURCES) routedCases[source] = await route(source, 'a');
    for (const source of SOURCES) {
      const routed = routedCases[source]!;
      const bureau = `dev-bureau-${routed.area}`;
      expect(
        (await api('POST', `/v1/cases/${routed.caseId}/events`, bureau, { type: 'acknowledge' })).http,
      ).toBe(200);
      const closed = await api('POST', `/v1/cases/${routed.caseId}/events`, bureau, {
        type: 'close',
        outcome: '违建已拆除',
        reply: `已拆除并复耕（${source}）`,
      });
      expect(closed.http).toBe(200);
    }
    for (const source of SOURCES) {
      const routed = routedCases[source]!;
      const events = await learnt(routed, 3);
      expect(events.map((e) => [e.body.type, e.body.data.sequence])).toEqual([
        ['tip.routed', 1],
        ['case.acknowledged', 2],
        ['case.closed', 3],
      ]);
      expect(events[0]!.body.data).toMatchObject({
        tipId: routed.tipId,
        externalId: routed.externalId,
        caseId: routed.caseId,
        area: routed.area,
      });
      expect(events[2]!.body.data).toMatchObject({
        outcome: '违建已拆除',
        reply: `已拆除并复耕（${source}）`,
        resolution: 'resolved',
      });
      for (const event of events) expect(event.webhookId).toMatch(/^msg_[a-z2-7]{26}$/);
    }
    expect(receiver.rejected).toBe(0);
  });

  it('retries a 500 twice, then 200: three attempts with one webhook-id, all recorded', async () => {
    receiver.answerNext('12345', 500, 500);
    const routed = await route('12345', 'retry');
    const [routedEvent] = await learnt(routed, 1);
    const requests = receiver.received.filter((r) => r.webhookId === routedEvent!.webhookId);
    expect(requests.map((r) => r.answered)).toEqual([500, 500, 200]);
    const delivery = await waitFor(
      async () => {
        const page = await api(
          'GET',
          '/v1/deliveries?source=12345&status=succeeded&limit=100',
          DEV_BRIGADE_TOKEN,
        );
        return (page.items as Json[]).find((d) => d.webhookId === routedEvent!.webhookId);
      },
      { what: 'the delivery recorded as succeeded' },
    );
    expect(delivery.attempts.map((a: Json) => [a.attempt, a.status, a.responseCode])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'succeeded', 200],
    ]);
    for (const attempt of delivery.attempts) expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('reopens a closed case on a dissatisfied 12345 callback, with a new close deadline and one reopen', async () => {
    const routed = routedCases['12345']!;
    const before = await api('GET', `/v1/cases/${routed.caseId}`, DEV_BRIGADE_TOKEN);
    const oldDue = before.deadlines.find((d: Json) => d.kind === 'close').dueAt;
    const body = {
      eventType: 'order.callback',
      orderNo: routed.externalId,
      at: shanghaiIso(testNow()),
      satisfaction: 'dissatisfied',
      comment: '违建仍在',
    };
    const answer = await followUp('12345', body, 'msg_callback_1');
    expect(answer).toEqual({ status: 202, body: { tipId: routed.tipId, status: 'queued' } });
    // The same request again (the source's retry) changes nothing.
    expect((await followUp('12345', body, 'msg_callback_1')).status).toBe(202);
    const reopened = await waitFor(
      async () => {
        const record = await api('GET', `/v1/cases/${routed.caseId}`, DEV_BRIGADE_TOKEN);
        return record.status === 'acknowledged' ? record : undefined;
      },
      { what: 'the case to be reopened' },
    );
    const close = reopened.deadlines.find((d: Json) => d.kind === 'close');
    expect(close.dueAt).not.toBe(oldDue);
    expect(close.metAt).toBeNull();
    expect(Date.parse(close.dueAt)).toBeGreaterThan(testNow().getTime());
    expect(reopened.events.filter((e: Json) => e.type === 'reopened')).toHaveLength(1);
    const events = await learnt(routed, 4);
    expect(events[3]!.body).toMatchObject({
      type: 'case.reopened',
      data: { sequence: 4, dueAt: close.dueAt },
    });
    await stack.settle();
    const reopens = (await readOutbox<Json>(stack.outboxFile)).filter(
      (n) => n.kind === 'reopen' && n.caseId === routed.caseId,
    );
    expect(reopens).toHaveLength(1);
    expect(reopens[0]).toMatchObject({ audience: 'bureau', target: `bureau:${routed.area}` });
  });

  it('makes one urge notification of an order.urged, however often it is delivered', async () => {
    const routed = routedCases['12345']!;
    const body = { eventType: 'order.urged', orderNo: routed.externalId, note: '市民再次来电催办' };
    expect((await followUp('12345', body, 'msg_urge_1')).status).toBe(202);
    expect((await followUp('12345', body, 'msg_urge_1')).status).toBe(202);
    const urges = await waitFor(
      async () => {
        const found = (await readOutbox<Json>(stack.outboxFile)).filter(
          (n) => n.kind === 'urge' && n.caseId === routed.caseId,
        );
        return found.length > 0 ? found : undefined;
      },
      { what: 'the urge notification' },
    );
    await stack.settle();
    expect(
      (await readOutbox<Json>(stack.outboxFile)).filter(
        (n) => n.kind === 'urge' && n.caseId === routed.caseId,
      ),
    ).toHaveLength(1);
    expect(urges[0]).toMatchObject({ audience: 'bureau', target: `bureau:${routed.area}`, source: '12345' });
    const record = await api('GET', `/v1/cases/${routed.caseId}`, DEV_BRIGADE_TOKEN);
    expect(record.events.filter((e: Json) => e.type === 'urged')).toHaveLength(1);
  });

  it('answers 404 unknown_tip for an order it never saw, and 422 for other events', async () => {
    const unknown = await followUp('12345', { eventType: 'order.urged', orderNo: `GD-never-${run}` });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'unknown_tip' } } });
    const other = await followUp('12345', { eventType: 'order.closed', orderNo: `GD-never-${run}` });
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'unsupported_event' } } });
  });

  it('disables an endpoint that answers 410 and tells the brigade once', async () => {
    receiver.answerNext('city-management', 410);
    const routed = await route('city-management', 'gone');
    const notice = await waitFor(
      async () =>
        (await readOutbox<Json>(stack.outboxFile)).find(
          (n) => n.kind === 'delivery_disabled' && n.source === 'city-management',
        ),
      { what: 'the delivery_disabled notice', timeoutMs: 30_000 },
    );
    expect(notice).toMatchObject({ audience: 'brigade', target: 'brigade' });
    expect(notice.caseId).toBeUndefined();
    // Later feedback to that source is kept, not sent.
    const bureau = `dev-bureau-${routed.area}`;
    expect(
      (await api('POST', `/v1/cases/${routed.caseId}/events`, bureau, { type: 'acknowledge' })).http,
    ).toBe(200);
    const disabled = await waitFor(
      async () => {
        const page = await api(
          'GET',
          '/v1/deliveries?source=city-management&status=disabled&limit=100',
          DEV_BRIGADE_TOKEN,
        );
        const mine = (page.items as Json[]).filter((d) => d.tipId === routed.tipId);
        return mine.length === 2 ? mine : undefined;
      },
      { what: 'both deliveries of the case disabled' },
    );
    expect(disabled.map((d) => d.type).sort()).toEqual(['case.acknowledged', 'tip.routed']);
    await stack.settle();
    const told = (await readOutbox<Json>(stack.outboxFile)).filter((n) => n.kind === 'delivery_disabled');
    expect(told).toHaveLength(1);
    expect(
      receiver.received.filter((r) => r.body.data.tipId === routed.tipId).map((r) => r.answered),
    ).toEqual([410]);
    // Only the brigade sees the deliveries.
    expect((await api('GET', '/v1/deliveries', `dev-bureau-${routed.area}`)).http).toBe(403);
  });
});
