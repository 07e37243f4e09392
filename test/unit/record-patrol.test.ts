/**
 * The patrol endpoints over in-memory ports (contract section 7): recording (who, idempotency by
 * clientId, the clock, the late-entry rule, serials, places, track), findings as cases with their
 * assignments, the list and its cursors, and compliance, through the case API's routes.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getJurisdiction } from '../../shared/config/jurisdiction/load.js';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { DEFAULT_DEADLINE_POLICY } from '../../shared/domain/deadlines.js';
import type { AssignmentMessage, CaseRecord } from '../../shared/domain/model.js';
import { DEFAULT_PATROL_REQUIREMENTS } from '../../shared/domain/patrol.js';
import { patrolBodySchema } from '../../shared/domain/patrol-input.js';
import { resolvePatrolPlace } from '../../shared/domain/patrol-places.js';
import { TokenAuthenticator } from '../../shared/http/auth.js';
import { type CaseApiDeps, handleCaseApi } from '../../shared/http/case-api.js';
import { createCursorCodec } from '../../shared/http/cursor.js';
import { errorResponse } from '../../shared/http/error-responses.js';
import { recordPatrol } from '../../shared/usecases/record-patrol.js';
import { MemoryPatrolPeriodStore, MemoryPatrolStore } from '../support/memory-patrols.js';
import {
  FakeVault,
  ManualClock,
  MemoryAssignmentQueue,
  MemoryAuditLog,
  MemoryCaseStore,
} from '../support/memory-ports.js';

const tokens = {
  'tok-brigade': 'brigade',
  'tok-meili': { principal: 'bureau:meili', actor: { name: '王五', role: 'officer' as const } },
  'tok-guli': 'bureau:guli',
  'tok-leader-3': 'leader:district-3',
  'tok-leader-1': 'leader:district-1',
  'tok-police': 'partner:police',
  'tok-12336': 'source:12336',
};

// Monday 30 November 2026, 12:00 in Shanghai.
const NOW = '2026-11-30T04:00:00Z';

function setup(now = NOW, reportingStart = '2026-11-01') {
  const store = new MemoryCaseStore();
  const queue = new MemoryAssignmentQueue();
  const patrols = new MemoryPatrolStore();
  const clock = new ManualClock(new Date(now));
  const calendar = new WorkingCalendar();
  const jurisdiction = getJurisdiction();
  const deps: CaseApiDeps = {
    store,
    queue,
    clock,
    vault: new FakeVault(),
    audit: new MemoryAuditLog(),
    auth: TokenAuthenticator.fromPlainTokens(tokens),
    openApiDocument: () => ({}),
    cursors: createCursorCodec(() => new Uint8Array(32).fill(3)),
    eventContext: () => {
      throw new Error('not used');
    },
    patrols: {
      store: patrols,
      reportingStart: new MemoryPatrolPeriodStore(reportingStart),
      calendar,
      policy: DEFAULT_DEADLINE_POLICY,
      requirements: DEFAULT_PATROL_REQUIREMENTS,
      resolvePlace: (name, area) => resolvePatrolPlace(name, area, jurisdiction),
    },
  };
  const call = async (
    routeKey: string,
    token: string | undefined,
    options: { query?: Record<string, string>; body?: unknown; raw?: string; contentType?: string } = {},
  ) => {
    const event = {
      routeKey,
      rawPath: routeKey.split(' ')[1],
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(options.body !== undefined || options.raw !== undefined
          ? { 'content-type': options.contentType ?? 'application/json' }
          : {}),
      },
      queryStringParameters: options.query,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const response = await handleCaseApi(event, deps).catch((error: unknown) => errorResponse(error));
    // biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field.
    return { status: response.statusCode, body: JSON.parse(response.body ?? 'null') as any };
  };
  return { store, queue, patrols, clock, deps, call };
}

const patrolBody = (overrides: Record<string, unknown> = {}) => ({
  clientId: 'meili-2026-11-30-a',
  kind: 'bureau',
  area: 'meili',
  startedAt: '2026-11-30T09:00:00+08:00',
  endedAt: '2026-11-30T11:30:00+08:00',
  officers: ['王五', '赵六'],
  route: '珍门社区—珍北村—沈市村',
  places: ['珍北村', '沈市村'],
  focus: ['basic_farmland', 'urban_rural_fringe'],
  track: {
    type: 'LineString',
    coordinates: [
      [120.93, 31.68],
      [120.95, 31.69],
    ],
    crs: 'gcj02',
  },
  findings: [
    {
      description: '新建彩钢棚约200平方米',
      address: '梅李镇珍北村五组',
      violationType: 'illegal_occupation',
      party: '某物流公司',
      measures: '现场制止，下达停工通知',
      stopped: true,
      photos: ['https://example.org/f1.jpg'],
    },
    { description: '农田内堆放建筑垃圾', address: '梅李镇沈市村三组' },
  ],
  ...overrides,
});

const assignments = (queue: MemoryAssignmentQueue) =>
  queue.messages.filter((message): message is AssignmentMessage => message.type === 'assignment');

describe('POST /v1/patrols', () => {
  it('stores the patrol with its number, places, track, recorder and the cases of its findings', async () => {
    const { call, store, queue } = setup();
    const response = await call('POST /v1/patrols', 'tok-meili', { body: patrolBody() });
    expect(response.status).toBe(201);
    const patrol = response.body;
    expect(patrol).toMatchObject({
      patrolNo: 'XC-meili-20261130-01',
      clientId: 'meili-2026-11-30-a',
      kind: 'bureau',
      area: 'meili',
      district: 'district-3',
      officers: ['王五', '赵六'],
      focus: ['basic_farmland', 'urban_rural_fringe'],
      recordedBy: 'bureau:meili',
      recordedByName: '王五',
      recordedAt: '2026-11-30T04:00:00.000Z',
      places: [
        { name: '珍北村', area: 'meili', matched: '珍北村', kind: 'village' },
        { name: '沈市村', area: 'meili', matched: '沈市村', kind: 'village' },
      ],
    });
    expect(patrol.patrolId).toMatch(/^pat_[a-z2-7]{26}$/);
    expect(patrol.track.crs).toBe('gcj02');
    expect(patrol.track.wgs84).toHaveLength(2);
    expect(patrol.findings).toHaveLength(2);

    const cases = patrol.findings.map((finding: { caseId: string }) => store.cases.get(finding.caseId)!);
    expect(
      cases.map((record: CaseRecord) => [
        record.caseNo,
        record.source,
        record.patrolId,
        record.tips,
        record.area,
      ]),
    ).toEqual([
      ['2026-000001', 'patrol', patrol.patrolId, [], 'meili'],
      ['2026-000002', 'patrol', patrol.patrolId, [], 'meili'],
    ]);
    expect(patrol.findings.map((finding: { caseNo: string }) => finding.caseNo)).toEqual([
      '2026-000001',
      '2026-000002',
    ]);
    expect(patrol.findings[1].violationType).toBe('other');
    expect(cases[0].deadlines[0]).toMatchObject({ kind: 'stop', metAt: '2026-11-30T11:30:00+08:00' });
    expect(cases[1].deadlines[0]).toMatchObject({
      kind: 'stop',
      metAt: null,
      dueAt: '2026-12-03T23:59:59+08:00',
    });
    // Assigned to the bureau like a routed tip, with the case as written.
    expect(
      assignments(queue).map((message) => [message.caseId, message.target, message.snapshot?.caseNo]),
    ).toEqual([
      [cases[0].caseId, 'bureau:meili', '2026-000001'],
      [cases[1].caseId, 'bureau:meili', '2026-000002'],
    ]);
  });

  it('answers the stored patrol again (200) for the same clientId, making nothing new', async () => {
    const { call, store, patrols } = setup();
    const first = await call('POST /v1/patrols', 'tok-meili', { body: patrolBody() });
    const again = await call('POST /v1/patrols', 'tok-meili', { body: patrolBody({ note: 'changed' }) });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(store.cases.size).toBe(2);
    expect(patrols.patrols.size).toBe(1);
    // Another caller's clientId is its own: the brigade's spot check is another patrol.
    const brigade = await call('POST /v1/patrols', 'tok-brigade', {
      body: patrolBody({ kind: 'spot_check', findings: [] }),
    });
    expect(brigade.status).toBe(201);
    expect(brigade.body.patrolNo).toBe('XC-meili-20261130-02');
  });

  it('makes one patrol and one case per finding from concurrent requests with one clientId', async () => {
    const { deps, store, patrols } = setup();
    const input = patrolBodySchema.parse(patrolBody());
    const patrolDeps = {
      patrols: patrols,
      store,
      queue: deps.queue,
      clock: deps.clock,
      calendar: new WorkingCalendar(),
      policy: DEFAULT_DEADLINE_POLICY,
      requirements: DEFAULT_PATROL_REQUIREMENTS,
      resolvePlace: deps.patrols!.resolvePlace,
    };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => recordPatrol({ kind: 'bureau', area: 'meili' }, input, patrolDeps)),
    );
    expect(new Set(results.map((result) => result.patrol.patrolNo))).toEqual(
      new Set(['XC-meili-20261130-01']),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(store.cases.size).toBe(2);
  });

  it('numbers each area and day on its own', async () => {
    const { call } = setup();
    const numbers = [];
    for (const [token, body] of [
      ['tok-meili', patrolBody({ clientId: undefined, findings: [] })],
      [
        'tok-meili',
        patrolBody({
          clientId: undefined,
          findings: [],
          startedAt: '2026-11-29T09:00:00+08:00',
          endedAt: '2026-11-29T10:00:00+08:00',
        }),
      ],
      ['tok-guli', patrolBody({ clientId: undefined, area: 'guli', findings: [] })],
      ['tok-meili', patrolBody({ clientId: undefined, findings: [] })],
    ] as const) {
      numbers.push((await call('POST /v1/patrols', token, { body })).body.patrolNo);
    }
    expect(numbers).toEqual([
      'XC-meili-20261130-01',
      'XC-meili-20261129-01',
      'XC-guli-20261130-01',
      'XC-meili-20261130-02',
    ]);
  });

  it.each([
    ['tok-guli', 'bureau', 'meili'],
    ['tok-meili', 'spot_check', 'meili'],
    ['tok-brigade', 'bureau', 'meili'],
    ['tok-brigade', 'leader', 'meili'],
    ['tok-leader-1', 'leader', 'meili'],
    ['tok-leader-3', 'supervision', 'meili'],
  ])('refuses %s a %s patrol of %s (403)', async (token, kind, area) => {
    const { call, store } = setup();
    const response = await call('POST /v1/patrols', token, { body: patrolBody({ kind, area }) });
    expect(response).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(store.cases.size).toBe(0);
  });

  it('refuses partners and sources before reading their body', async () => {
    const { call } = setup();
    for (const token of ['tok-police', 'tok-12336']) {
      expect((await call('POST /v1/patrols', token, { raw: 'not json' })).status).toBe(403);
    }
    expect((await call('POST /v1/patrols', undefined, { body: patrolBody() })).status).toBe(401);
  });

  it('lets a leader record a leader patrol in its district', async () => {
    const { call } = setup();
    const response = await call('POST /v1/patrols', 'tok-leader-3', {
      body: patrolBody({ kind: 'leader', area: 'dongbang', places: [], findings: [] }),
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      recordedBy: 'leader:district-3',
      patrolNo: 'XC-dongbang-20261130-01',
    });
  });

  it('names every failing field (400) and stores nothing', async () => {
    const { call, store, patrols } = setup();
    const response = await call('POST /v1/patrols', 'tok-meili', {
      body: patrolBody({
        startedAt: 'yesterday',
        officers: [],
        focus: ['farm'],
        track: { type: 'LineString', coordinates: [] },
      }),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toEqual([
      'startedAt',
      'officers',
      'focus.0',
      'track.coordinates',
    ]);
    expect(store.cases.size + patrols.patrols.size).toBe(0);
  });

  it('refuses an end more than 5 minutes ahead of the clock (400 naming endedAt)', async () => {
    const { call } = setup();
    const response = await call('POST /v1/patrols', 'tok-meili', {
      body: patrolBody({ startedAt: '2026-11-30T11:00:00+08:00', endedAt: '2026-11-30T12:05:01+08:00' }),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ path: 'endedAt', message: '不得晚于当前时间5分钟以上' }]);
    expect(
      (
        await call('POST /v1/patrols', 'tok-meili', {
          body: patrolBody({ startedAt: '2026-11-30T11:00:00+08:00', endedAt: '2026-11-30T12:05:00+08:00' }),
        })
      ).status,
    ).toBe(201);
  });

  it('refuses a patrol recorded after the second working day after it ended (422 too_late)', async () => {
    // Wednesday 2 December, 00:00:00: a patrol that ended on Friday 27 November is too late.
    const { call, store } = setup('2026-12-01T16:00:00Z');
    const late = await call('POST /v1/patrols', 'tok-meili', {
      body: patrolBody({ startedAt: '2026-11-27T09:00:00+08:00', endedAt: '2026-11-27T11:00:00+08:00' }),
    });
    expect(late).toMatchObject({ status: 422, body: { error: { code: 'too_late' } } });
    expect(late.body.error.message).toContain('2026年12月1日（星期二）23:59:59');
    expect(store.cases.size).toBe(0);
    // One that ended on Monday 30 November may be recorded until Wednesday 23:59:59.
    expect((await call('POST /v1/patrols', 'tok-meili', { body: patrolBody() })).status).toBe(201);
  });

  it('answers a retry with its clientId even after the late-entry limit', async () => {
    const { call, clock } = setup();
    expect((await call('POST /v1/patrols', 'tok-meili', { body: patrolBody() })).status).toBe(201);
    clock.set('2026-12-10T04:00:00Z');
    expect((await call('POST /v1/patrols', 'tok-meili', { body: patrolBody() })).status).toBe(200);
    expect(
      (await call('POST /v1/patrols', 'tok-meili', { body: patrolBody({ clientId: 'other' }) })).status,
    ).toBe(422);
  });

  it('wants JSON of a bounded size', async () => {
    const { call } = setup();
    expect(
      (await call('POST /v1/patrols', 'tok-meili', { raw: '{', contentType: 'application/json' })).body.error
        .code,
    ).toBe('invalid_json');
    expect(
      (await call('POST /v1/patrols', 'tok-meili', { raw: '{}', contentType: 'text/plain' })).status,
    ).toBe(415);
    const huge = JSON.stringify(patrolBody({ note: 'x'.repeat(300 * 1024) }));
    expect((await call('POST /v1/patrols', 'tok-meili', { raw: huge })).status).toBe(413);
  });
});

describe('GET /v1/patrols', () => {
  async function seeded() {
    const context = setup();
    const bodies: Array<[string, Record<string, unknown>]> = [
      ['tok-meili', { startedAt: '2026-11-30T08:00:00+08:00', endedAt: '2026-11-30T09:00:00+08:00' }],
      ['tok-meili', { startedAt: '2026-11-30T10:00:00+08:00', endedAt: '2026-11-30T11:00:00+08:00' }],
      [
        'tok-guli',
        { area: 'guli', startedAt: '2026-11-30T09:00:00+08:00', endedAt: '2026-11-30T10:00:00+08:00' },
      ],
      [
        'tok-brigade',
        { kind: 'spot_check', startedAt: '2026-11-29T09:00:00+08:00', endedAt: '2026-11-29T10:00:00+08:00' },
      ],
    ];
    for (const [token, overrides] of bodies) {
      const response = await context.call('POST /v1/patrols', token, {
        body: patrolBody({ clientId: undefined, findings: [], ...overrides }),
      });
      expect(response.status).toBe(201);
    }
    return context;
  }
  const starts = (body: { items: Array<{ area: string; startedAt: string }> }) =>
    body.items.map((item) => `${item.area} ${item.startedAt.slice(5, 16)}`);

  it('lists what the caller may see, newest first', async () => {
    const { call } = await seeded();
    expect(starts((await call('GET /v1/patrols', 'tok-brigade')).body)).toEqual([
      'meili 11-30T10:00',
      'guli 11-30T09:00',
      'meili 11-30T08:00',
      'meili 11-29T09:00',
    ]);
    expect(starts((await call('GET /v1/patrols', 'tok-meili')).body)).toEqual([
      'meili 11-30T10:00',
      'meili 11-30T08:00',
      'meili 11-29T09:00',
    ]);
    expect(starts((await call('GET /v1/patrols', 'tok-leader-1')).body)).toEqual(['guli 11-30T09:00']);
    expect(
      starts((await call('GET /v1/patrols', 'tok-brigade', { query: { kind: 'spot_check' } })).body),
    ).toEqual(['meili 11-29T09:00']);
    expect(
      starts(
        (
          await call('GET /v1/patrols', 'tok-brigade', {
            query: { from: '2026-11-30', to: '2026-11-30T09:00:00+08:00' },
          })
        ).body,
      ),
    ).toEqual(['meili 11-30T08:00']);
    expect(
      starts((await call('GET /v1/patrols', 'tok-brigade', { query: { to: '2026-11-29' } })).body),
    ).toEqual(['meili 11-29T09:00']);
  });

  it('pages with signed cursors for the same caller and query only', async () => {
    const { call } = await seeded();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET /v1/patrols', 'tok-brigade', {
        query: { limit: '1', ...(cursor ? { cursor } : {}) },
      });
      expect(page.status).toBe(200);
      seen.push(...starts(page.body));
      cursor = page.body.cursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(4);
    const first = await call('GET /v1/patrols', 'tok-brigade', { query: { limit: '1' } });
    const foreign = await call('GET /v1/patrols', 'tok-meili', {
      query: { limit: '1', cursor: first.body.cursor },
    });
    expect(foreign).toMatchObject({ status: 400, body: { error: { code: 'invalid_cursor' } } });
    const otherQuery = await call('GET /v1/patrols', 'tok-brigade', {
      query: { kind: 'bureau', cursor: first.body.cursor },
    });
    expect(otherQuery.status).toBe(400);
  });

  it('refuses an area the caller may not read, partners and sources, and a bad query', async () => {
    const { call } = await seeded();
    expect((await call('GET /v1/patrols', 'tok-meili', { query: { area: 'guli' } })).status).toBe(403);
    expect((await call('GET /v1/patrols', 'tok-leader-3', { query: { area: 'guli' } })).status).toBe(403);
    expect((await call('GET /v1/patrols', 'tok-leader-3', { query: { area: 'meili' } })).status).toBe(200);
    expect((await call('GET /v1/patrols', 'tok-police')).status).toBe(403);
    expect((await call('GET /v1/patrols', 'tok-12336')).status).toBe(403);
    const bad = await call('GET /v1/patrols', 'tok-brigade', {
      query: { from: 'monday', kind: 'walk', limit: '0' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((detail: { path: string }) => detail.path)).toEqual([
      'kind',
      'from',
      'limit',
    ]);
    const backwards = await call('GET /v1/patrols', 'tok-brigade', {
      query: { from: '2026-12-01', to: '2026-11-01' },
    });
    expect(backwards.body.error.details).toEqual([{ path: 'to', message: '须晚于from' }]);
  });
});

describe('GET /v1/patrols/compliance', () => {
  it('makes the week met for a bureau with two patrols, before the week ends', async () => {
    const { call } = setup();
    const week = { period: '2026-W49' };
    const meili = async () => (await call('GET /v1/patrols/compliance', 'tok-meili', { query: week })).body;
    expect((await meili()).units).toEqual([
      expect.objectContaining({
        unit: 'bureau:meili',
        requirement: 'bureau_weekly',
        area: 'meili',
        required: 2,
        done: 0,
        status: 'open',
      }),
    ]);
    await call('POST /v1/patrols', 'tok-meili', { body: patrolBody({ clientId: 'a', findings: [] }) });
    expect((await meili()).units[0]).toMatchObject({ done: 1, status: 'open' });
    await call('POST /v1/patrols', 'tok-meili', { body: patrolBody({ clientId: 'b', findings: [] }) });
    const view = await meili();
    expect(view).toMatchObject({
      period: '2026-W49',
      kind: 'week',
      label: '2026年第49周',
      startsAt: '2026-11-30T00:00:00+08:00',
      endsAt: '2026-12-07T00:00:00+08:00',
      decidesAt: '2026-12-08T23:59:59+08:00',
      decided: false,
      reportingStart: '2026-11-01',
    });
    expect(view.units[0]).toMatchObject({ done: 2, status: 'met' });
  });

  it('shows short once the grace is over, and each caller its rows', async () => {
    const { call } = setup('2026-12-08T16:00:00Z');
    const view = (await call('GET /v1/patrols/compliance', 'tok-brigade', { query: { period: '2026-W49' } }))
      .body;
    expect(view.decided).toBe(true);
    expect(view.units).toHaveLength(12);
    expect(view.units.every((row: { status: string }) => row.status === 'short')).toBe(true);
    const leader = (
      await call('GET /v1/patrols/compliance', 'tok-leader-3', { query: { period: '2026-12' } })
    ).body;
    expect(leader.units.map((row: { area: string }) => row.area)).toEqual(['zhitang', 'dongbang', 'meili']);
    expect(
      (await call('GET /v1/patrols/compliance', 'tok-guli', { query: { period: '2026-Q4' } })).body.units,
    ).toEqual([]);
  });

  it('refuses partners and sources, and a period that is not a week, month or quarter', async () => {
    const { call } = setup();
    expect(
      (await call('GET /v1/patrols/compliance', 'tok-police', { query: { period: '2026-W49' } })).status,
    ).toBe(403);
    expect(
      (await call('GET /v1/patrols/compliance', 'tok-12336', { query: { period: '2026-W49' } })).status,
    ).toBe(403);
    for (const period of ['2026', '2026-W54', '2026-13', 'soon']) {
      const response = await call('GET /v1/patrols/compliance', 'tok-brigade', { query: { period } });
      expect(response.status, period).toBe(400);
      expect(response.body.error.details[0].path).toBe('period');
    }
    expect((await call('GET /v1/patrols/compliance', 'tok-brigade')).body.error.details[0].path).toBe(
      'period',
    );
  });
});

describe('whatever a caller sends', () => {
  it('never answers a 5xx, and a 2xx only with a patrol', async () => {
    const { call } = setup();
    const field = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.constantFrom('bureau', 'leader', 'meili', '2026-11-30T10:00:00+08:00', '2026-W49', 'gcj02'),
    );
    const bodies = fc.oneof(
      fc.anything(),
      fc.record(
        {
          kind: field,
          area: field,
          startedAt: field,
          endedAt: field,
          officers: fc.oneof(field, fc.array(field)),
          places: fc.oneof(field, fc.array(fc.string())),
          focus: fc.oneof(field, fc.array(field)),
          track: fc.oneof(
            field,
            fc.record({ type: field, coordinates: fc.array(fc.array(fc.double())), crs: field }),
          ),
          findings: fc.oneof(
            field,
            fc.array(fc.record({ description: field, stopped: field, photos: field })),
          ),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const response = await call('POST /v1/patrols', 'tok-meili', { raw: JSON.stringify(body) ?? 'null' });
        expect(response.status).toBeLessThan(500);
        if ((response.status ?? 500) < 300) expect(response.body.patrolNo).toMatch(/^XC-meili-/);
      }),
      { numRuns: 500 },
    );
    const queries = fc.dictionary(
      fc.constantFrom('area', 'kind', 'from', 'to', 'cursor', 'limit', 'period'),
      fc.oneof(fc.string(), fc.constantFrom('meili', '2026-11-30', '2026-W49', '2026-Q4', '0', '100')),
    );
    await fc.assert(
      fc.asyncProperty(
        queries,
        fc.constantFrom('GET /v1/patrols', 'GET /v1/patrols/compliance'),
        async (query, route) => {
          expect((await call(route, 'tok-leader-3', { query })).status).toBeLessThan(500);
        },
      ),
      { numRuns: 500 },
    );
  });
});
