import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { EventContext } from '../../shared/domain/case-events.js';
import { TokenAuthenticator } from '../../shared/http/auth.js';
import { handleCaseApi } from '../../shared/http/case-api.js';
import { createCursorCodec } from '../../shared/http/cursor.js';
import { errorResponse } from '../../shared/http/error-responses.js';
import { caseRecord } from '../support/case-record.js';
import {
  FakeVault,
  ManualClock,
  MemoryAssignmentQueue,
  MemoryAuditLog,
  MemoryCaseStore,
} from '../support/memory-ports.js';

const TEST_CURSOR_KEY = new Uint8Array(32).fill(7);

const tokens = {
  'tok-brigade': 'brigade',
  'tok-shajiabang': 'bureau:shajiabang',
  'tok-guli': 'bureau:guli',
  'tok-planning': 'partner:planning',
  'tok-police': 'partner:police',
  'tok-12336': 'source:12336',
  'tok-12345': 'source:12345',
};

async function setup() {
  const store = new MemoryCaseStore();
  const vault = new FakeVault();
  const queue = new MemoryAssignmentQueue();
  const audit = new MemoryAuditLog();
  const record = caseRecord({
    reporter: {
      anonymous: false,
      confidential: false,
      sealed: await vault.seal('tip_aaaaaaaaaaaaaaaaaaaaaaaaaa', { name: '张三', phone: '13912345678' }),
    },
  });
  store.cases.set(record.caseId, record);
  store.tips.set(record.tips[0]!.tipId, {
    ...record.tips[0]!,
    caseId: record.caseId,
    status: 'routed',
    contentHashes: [],
  });
  const eventContext = (now: Date): EventContext => ({
    now,
    stopDeadline: () => ({ kind: 'stop', dueAt: '2026-12-03T23:59:59+08:00', metAt: null, breachedAt: null }),
    notifyTownDeadline: () => ({
      kind: 'notify_town',
      dueAt: '2026-12-04T23:59:59+08:00',
      metAt: null,
      breachedAt: null,
    }),
    area: () => ({ name: '古里镇', district: 'district-1' }),
  });
  const deps = {
    store,
    vault,
    queue,
    clock: new ManualClock(new Date('2026-11-28T03:00:00Z')),
    auth: TokenAuthenticator.fromPlainTokens(tokens),
    openApiDocument: () => ({ openapi: '3.1.0' }),
    cursors: createCursorCodec(() => TEST_CURSOR_KEY),
    eventContext,
    audit,
  };
  const call = async (
    routeKey: string,
    options: {
      token?: string;
      path?: Record<string, string>;
      query?: Record<string, string>;
      body?: unknown;
    } = {},
  ) => {
    const event = {
      routeKey,
      rawPath: routeKey.split(' ')[1],
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      pathParameters: options.path,
      queryStringParameters: options.query,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const response = await handleCaseApi(event, deps).catch((error: unknown) => errorResponse(error));
    return { status: response.statusCode, body: JSON.parse(response.body ?? 'null') };
  };
  return { store, queue, record, call, audit };
}

describe('case API', () => {
  it('serves health and the OpenAPI document without a token', async () => {
    const { call } = await setup();
    expect(await call('GET /health')).toEqual({ status: 200, body: { status: 'ok' } });
    expect((await call('GET /openapi.json')).status).toBe(200);
  });

  it('requires a valid bearer token', async () => {
    const { call, record } = await setup();
    expect((await call('GET /v1/cases/{caseId}', { path: { caseId: record.caseId } })).status).toBe(401);
    const bad = await call('GET /v1/cases/{caseId}', {
      token: 'nope-token',
      path: { caseId: record.caseId },
    });
    expect(bad).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
  });

  it('shows the reporter to the brigade and the own bureau, never to partners', async () => {
    const { call, record } = await setup();
    const path = { caseId: record.caseId };
    expect(
      (await call('GET /v1/cases/{caseId}', { token: 'tok-brigade', path })).body.reporter,
    ).toMatchObject({ name: '张三', phone: '13912345678' });
    expect(
      (await call('GET /v1/cases/{caseId}', { token: 'tok-shajiabang', path })).body.reporter,
    ).toMatchObject({ name: '张三' });
    const partner = await call('GET /v1/cases/{caseId}', { token: 'tok-planning', path });
    expect(partner.status).toBe(200);
    expect(partner.body.reporter).toBeUndefined();
    expect(JSON.stringify(partner.body)).not.toContain('13912345678');
  });

  // Contract 3 keeps 403 for a case that exists outside the caller's area or role, on purpose.
  it.each([
    ['tok-guli', 403],
    ['tok-police', 403],
    ['tok-12336', 403],
  ])('refuses %s the case with %i', async (token, status) => {
    const { call, record } = await setup();
    const response = await call('GET /v1/cases/{caseId}', { token, path: { caseId: record.caseId } });
    expect(response).toMatchObject({ status, body: { error: { code: 'forbidden' } } });
  });

  it('answers 404 for an unknown case and a tip that is still queued', async () => {
    const { call } = await setup();
    expect(
      (await call('GET /v1/cases/{caseId}', { token: 'tok-brigade', path: { caseId: 'case_x' } })).status,
    ).toBe(404);
    expect(
      (await call('GET /v1/tips/{tipId}', { token: 'tok-12336', path: { tipId: 'tip_unknown' } })).body.error
        .code,
    ).toBe('not_found');
  });

  it('tells a source the status of its own tips only', async () => {
    const { call, record } = await setup();
    const path = { tipId: record.tips[0]!.tipId };
    expect((await call('GET /v1/tips/{tipId}', { token: 'tok-12336', path })).body).toMatchObject({
      status: 'routed',
      caseId: record.caseId,
      source: '12336',
    });
    expect((await call('GET /v1/tips/{tipId}', { token: 'tok-12345', path })).status).toBe(404);
  });

  it('lists a bureau’s own area only and validates the query', async () => {
    const { call, store } = await setup();
    const other = caseRecord({
      caseId: 'case_bbbbbbbbbbbbbbbbbbbbbbbbbb',
      area: 'guli',
      bureau: 'bureau:guli',
    });
    store.cases.set(other.caseId, other);
    expect((await call('GET /v1/cases', { token: 'tok-brigade' })).body.items).toHaveLength(2);
    const own = await call('GET /v1/cases', { token: 'tok-guli' });
    expect(own.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([other.caseId]);
    expect((await call('GET /v1/cases', { token: 'tok-guli', query: { area: 'shajiabang' } })).status).toBe(
      403,
    );
    const invalid = await call('GET /v1/cases', {
      token: 'tok-brigade',
      query: { status: 'sleeping', limit: '0' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'limit',
      'status',
    ]);
  });

  it('applies events, refuses invalid transitions with 409 and other areas with 403', async () => {
    const { call, record } = await setup();
    const path = { caseId: record.caseId };
    const ok = await call('POST /v1/cases/{caseId}/events', {
      token: 'tok-shajiabang',
      path,
      body: { type: 'acknowledge' },
    });
    expect(ok).toMatchObject({ status: 200, body: { status: 'acknowledged' } });
    const conflict = await call('POST /v1/cases/{caseId}/events', {
      token: 'tok-shajiabang',
      path,
      body: { type: 'stop', result: 'stopped' },
    });
    expect(conflict).toMatchObject({ status: 409, body: { error: { code: 'invalid_transition' } } });
    expect(
      (
        await call('POST /v1/cases/{caseId}/events', {
          token: 'tok-guli',
          path,
          body: { type: 'comment', note: 'x' },
        })
      ).status,
    ).toBe(403);
    const invalid = await call('POST /v1/cases/{caseId}/events', {
      token: 'tok-shajiabang',
      path,
      body: { type: 'inspect' },
    });
    expect(invalid).toMatchObject({
      status: 400,
      body: { error: { code: 'validation_failed', details: [{ path: 'finding' }] } },
    });
  });

  it('applies an event with the same eventId once', async () => {
    const { call, record, store } = await setup();
    const path = { caseId: record.caseId };
    const body = { type: 'comment', note: '已电话联系', eventId: 'evt-1' };
    await call('POST /v1/cases/{caseId}/events', { token: 'tok-shajiabang', path, body });
    const again = await call('POST /v1/cases/{caseId}/events', { token: 'tok-shajiabang', path, body });
    expect(again.status).toBe(200);
    expect((await store.getCase(record.caseId))?.events.filter((e) => e.eventId === 'evt-1')).toHaveLength(1);
  });

  it('loses no update when events race (optimistic locking)', async () => {
    const { call, record, store } = await setup();
    const path = { caseId: record.caseId };
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        call('POST /v1/cases/{caseId}/events', {
          token: 'tok-brigade',
          path,
          body: { type: 'comment', note: `c${i}` },
        }),
      ),
    );
    expect((await store.getCase(record.caseId))?.events.filter((e) => e.type === 'comment')).toHaveLength(5);
  });

  it('hands a reassigned case to the new bureau’s queue', async () => {
    const { call, record, queue } = await setup();
    const response = await call('POST /v1/cases/{caseId}/events', {
      token: 'tok-brigade',
      path: { caseId: record.caseId },
      body: { type: 'reassign', area: 'guli' },
    });
    expect(response.body).toMatchObject({ area: 'guli', bureau: 'bureau:guli' });
    expect(queue.messages).toEqual([{ type: 'assignment', caseId: record.caseId, target: 'bureau:guli' }]);
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    const { call } = await setup();
    expect((await call('GET /v1/nothing')).status).toBe(404);
    expect((await call('DELETE /v1/cases')).status).toBe(405);
  });
});
