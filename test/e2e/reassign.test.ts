/**
 * End to end over HTTP: a tip no one can place goes to triage; the brigade reassigns it to an area
 * with the `reassign` event; that bureau then gets its assignment, sees the case, and the routing
 * record keeps both decisions. A second reassignment of a misrouted case keeps all three.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make12336Tip } from '../fixtures/tips.js';
import { waitFor } from '../support/emulators.js';
import {
  DEV_BRIGADE_TOKEN,
  startTestStack,
  submitAndRoute,
  type TestLocalStack,
} from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

// biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field.
type Json = Record<string, any>;

let stack: TestLocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.cleanup();
});

async function api(path: string, token = DEV_BRIGADE_TOKEN, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${stack.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function outbox(): Promise<Json[]> {
  return readOutbox(stack.outboxFile);
}

const assignmentsOf = async (caseId: string) =>
  (await outbox()).filter((line) => line.caseId === caseId && line.kind === 'assignment');

async function submitUnplaceableTip(): Promise<string> {
  const tip = make12336Tip({
    reportId: `e2e-reassign-${Date.now()}`,
    location: { address: '村东头那块地', town: '' },
    description: '有人在农田里挖土堆放建筑垃圾',
  });
  // A town field of '' may be refused by the schema; drop it rather than send it.
  delete (tip.location as { town?: string }).town;
  delete (tip.location as { lng?: number }).lng;
  delete (tip.location as { lat?: number }).lat;
  delete (tip.location as { crs?: string }).crs;
  return submitAndRoute(stack, '12336', tip);
}

describe('reassignment by the brigade', () => {
  let caseId: string;

  it('sends an unplaceable tip to triage with an assignment to the brigade', async () => {
    caseId = await submitUnplaceableTip();
    const { body: record } = await api(`/v1/cases/${caseId}`);
    expect(record).toMatchObject({ status: 'triage', area: null, routing: { area: null, method: 'none' } });
    const lines = await waitFor(
      async () => {
        const found = await assignmentsOf(caseId);
        return found.length > 0 ? found : undefined;
      },
      { what: 'the triage assignment' },
    );
    expect(lines).toEqual([expect.objectContaining({ audience: 'brigade' })]);
  });

  it('moves the case to the chosen bureau, which gets its assignment and sees the case', async () => {
    const answer = await api(`/v1/cases/${caseId}/events`, DEV_BRIGADE_TOKEN, {
      method: 'POST',
      body: { type: 'reassign', area: 'meili', note: '来电人补充：在梅李镇赵市村' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'assigned',
      area: 'meili',
      routing: { area: 'meili', method: 'reassigned' },
    });
    expect(answer.body.routing.previous).toEqual([
      expect.objectContaining({ area: null, method: 'none', explanation: expect.any(String) }),
    ]);

    const bureauLines = await waitFor(
      async () => {
        const found = (await assignmentsOf(caseId)).filter((line) => line.target === 'bureau:meili');
        return found.length > 0 ? found : undefined;
      },
      { what: 'the bureau assignment after reassignment' },
    );
    expect(bureauLines).toHaveLength(1);
    expect(bureauLines[0]).toMatchObject({ audience: 'bureau' });

    const seenByBureau = await api(`/v1/cases/${caseId}`, 'dev-bureau-meili');
    expect(seenByBureau.status).toBe(200);
    expect(seenByBureau.body.area).toBe('meili');
    // No longer guli's: it exists outside guli's area, which contract section 3 answers 403.
    expect((await api(`/v1/cases/${caseId}`, 'dev-bureau-guli')).status).toBe(403);
  });

  it('keeps every earlier decision when a misrouted case is moved again', async () => {
    const answer = await api(`/v1/cases/${caseId}/events`, DEV_BRIGADE_TOKEN, {
      method: 'POST',
      body: { type: 'reassign', area: 'haiyu' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ area: 'haiyu', routing: { area: 'haiyu', method: 'reassigned' } });
    expect(answer.body.routing.previous.map((entry: Json) => [entry.area, entry.method])).toEqual([
      [null, 'none'],
      ['meili', 'reassigned'],
    ]);
    const haiyuLines = await waitFor(
      async () => {
        const found = (await assignmentsOf(caseId)).filter((line) => line.target === 'bureau:haiyu');
        return found.length > 0 ? found : undefined;
      },
      { what: 'the second bureau assignment' },
    );
    expect(haiyuLines).toHaveLength(1);
  });

  it('refuses a reassignment by a bureau', async () => {
    const answer = await api(`/v1/cases/${caseId}/events`, 'dev-bureau-haiyu', {
      method: 'POST',
      body: { type: 'reassign', area: 'guli' },
    });
    expect(answer.status).toBe(403);
  });
});
