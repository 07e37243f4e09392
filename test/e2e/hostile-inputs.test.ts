/**
 * "No single input can hurt anyone else", over HTTP against a local run: ancient source times,
 * forged and foreign cursors, malformed ids and path encodings, a BOM-prefixed signed body, and a
 * description full of control characters on its way to SMS and e-mail. Whatever the input, no answer
 * is a 5xx (asserted on every request this file makes), and case answers carry no-store and nosniff.
 * Receive times come from testNow(): the suite also runs at pinned instants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../shared/domain/model.js';
import { isSafeText } from '../../shared/domain/text-hygiene.js';
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
let caseId: string;
const statuses: number[] = [];

async function call(path: string, options: { token?: string; init?: RequestInit } = {}) {
  const response = await fetch(`${stack.url}${path}`, {
    ...options.init,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.init?.headers as Record<string, string> | undefined),
    },
  });
  statuses.push(response.status);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Json };
}

async function submit(source: Source, body: string) {
  return call(`/v1/tips/${source}`, {
    init: { method: 'POST', headers: webhookHeaders(DEV_SOURCE_SECRETS[source], body), body },
  });
}

const paths = (response: { json: () => Json }) =>
  (response.json().error.details as { path: string }[]).map((detail) => detail.path);

beforeAll(async () => {
  stack = await startTestStack();
  caseId = await submitAndRoute(stack, '12336', make12336Tip({ reportId: `hostile-${Date.now()}` }));
  // A second case, so that a page of one has a next page and a real cursor.
  await submitAndRoute(stack, '12345', make12345Tip({ orderNo: `hostile-${Date.now()}` }));
}, 120_000);

afterAll(async () => {
  await stack?.cleanup();
});

describe('source times (contract 12)', () => {
  it('refuses a 1970 receive time, a 2001 handling deadline and a 1999 due date, naming the field', async () => {
    const stamp = Date.now();
    const ancient = await submit(
      '12336',
      JSON.stringify(make12336Tip({ reportId: `t-${stamp}-a`, receivedAt: '1970-01-01T08:00:00+08:00' })),
    );
    expect(ancient.status).toBe(400);
    expect(ancient.json().error.code).toBe('validation_failed');
    expect(paths(ancient)).toEqual(['receivedAt']);

    const deadline = await submit(
      '12345',
      JSON.stringify(
        make12345Tip({ orderNo: `t-${stamp}-b`, handlingDeadline: '2001-01-01T17:00:00+08:00' }),
      ),
    );
    expect(deadline.status).toBe(400);
    expect(paths(deadline)).toEqual(['handlingDeadline']);

    const due = await submit(
      'city-management',
      JSON.stringify(
        makeCityManagementTip({ case: { caseNo: `t-${stamp}-c`, dueAt: '1999-12-31T17:00:00+08:00' } }),
      ),
    );
    expect(due.status).toBe(400);
    expect(paths(due)).toEqual(['case.dueAt']);
  });

  it('refuses an attachment link into a private network, naming the field', async () => {
    const body = JSON.stringify(
      make12336Tip({
        reportId: `t-${Date.now()}-d`,
        attachments: [{ url: 'https://169.254.169.254/latest' }],
      }),
    );
    const response = await submit('12336', body);
    expect(response.status).toBe(400);
    expect(paths(response)).toEqual(['attachments.0.url']);
  });
});

describe('read inputs', () => {
  it('answers forged, garbled and foreign cursors with 400 invalid_cursor', async () => {
    const forged = ['{"p":-1}', '{"p":0.5}', '{"k":{}}'].map((json) =>
      Buffer.from(json).toString('base64url'),
    );
    for (const cursor of [...forged, 'not a cursor', 'a.b', '%E0']) {
      const response = await call(`/v1/cases?cursor=${encodeURIComponent(cursor)}`, {
        token: DEV_BRIGADE_TOKEN,
      });
      expect(response.status, cursor).toBe(400);
      expect(response.json().error.code).toBe('invalid_cursor');
    }
    // A real cursor, handed back by another principal or with other filters, is foreign.
    const page = await call('/v1/cases?limit=1', { token: DEV_BRIGADE_TOKEN });
    expect(page.status).toBe(200);
    const cursor = page.json().cursor as string | null;
    expect(cursor).not.toBeNull();
    const cursorParam = encodeURIComponent(cursor!);
    expect((await call(`/v1/cases?limit=1&cursor=${cursorParam}`, { token: DEV_BRIGADE_TOKEN })).status).toBe(
      200,
    );
    for (const [path, token] of [
      [`/v1/cases?cursor=${cursorParam}`, 'dev-bureau-guli'],
      [`/v1/cases?status=assigned&cursor=${cursorParam}`, DEV_BRIGADE_TOKEN],
      [`/v1/audit?caseId=${caseId}&cursor=${cursorParam}`, DEV_BRIGADE_TOKEN],
    ] as const) {
      const response = await call(path, { token });
      expect(response.status, path).toBe(400);
      expect(response.json().error.code).toBe('invalid_cursor');
    }
  });

  it('answers malformed, doubly encoded and 3,000-character ids with 404', async () => {
    const long = 'a'.repeat(3000);
    for (const path of [
      '/v1/cases/%E0',
      '/v1/cases/%25E0',
      `/v1/cases/${long}`,
      `/v1/cases/case_${long}`,
      '/v1/tips/%E0',
      '/v1/tips/%25E0',
      `/v1/tips/tip_${long}`,
    ]) {
      const response = await call(path, { token: DEV_BRIGADE_TOKEN });
      expect(response.status, path.slice(0, 40)).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    const event = await call(`/v1/cases/%25E0/events`, {
      token: DEV_BRIGADE_TOKEN,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type":"comment","note":"x"}',
      },
    });
    expect(event.status).toBe(404);
  });

  it('puts Cache-Control: no-store and nosniff on case answers, and nosniff everywhere', async () => {
    for (const path of [`/v1/cases/${caseId}`, '/v1/cases', '/v1/cases/%E0', '/v1/cases/case_x']) {
      const response = await call(path, { token: DEV_BRIGADE_TOKEN });
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    for (const path of ['/health', '/openapi.json', '/nowhere']) {
      expect((await call(path)).headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});

describe('intake', () => {
  it('accepts a correctly signed body that starts with a UTF-8 BOM', async () => {
    const body = `\uFEFF${JSON.stringify(make12336Tip({ reportId: `bom-${Date.now()}` }))}`;
    const response = await submit('12336', body);
    expect(response.status, response.text).toBe(202);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends SMS and e-mail without the control characters of a hostile description', async () => {
    const description =
      '有人\u0000在基本农田\u001b[2J\u001b]0;pwned\u0007上建厂房\u202e房厂建\u0085，已经开始打地基';
    const hostile = make12336Tip({
      reportId: `ctrl-${Date.now()}`,
      receivedAt: shanghaiIso(new Date(testNow().getTime() - 60_000)),
      description,
    });
    const hostileCaseId = await submitAndRoute(stack, '12336', hostile);
    const lines = await waitFor(
      async () => {
        const found = (await readOutbox<Json>(stack.outboxFile)).filter(
          (line) => line.caseId === hostileCaseId,
        );
        return found.length > 0 ? found : undefined;
      },
      { what: 'the hostile case’s notifications', timeoutMs: 20_000 },
    );
    for (const line of lines) {
      expect(isSafeText(line.subject)).toBe(true);
      expect(isSafeText(line.sms)).toBe(true);
      expect(isSafeText(line.email, { multiline: true })).toBe(true);
      expect(line.email).toContain('已经开始打地基');
    }
  });
});

describe('no 5xx', () => {
  it('answered every request of this file below 500', () => {
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });
});
