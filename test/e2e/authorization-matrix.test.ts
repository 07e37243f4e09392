/**
 * Every endpoint of the case API against every kind of principal (contract section 1), over HTTP
 * against a local run: the status each must get, and whether `reporter` is in the answer. The
 * authorization matrix in docs/security.md mirrors this table, with the rule behind it: a tip the
 * caller may not see answers 404 exactly like one that does not exist, so a token cannot test
 * whether another source's tip exists; a case that exists outside the caller's area or role answers
 * 403, which contract section 3 keeps on purpose (the brigade's operators tell "not yours" from "no
 * such case"). A change to one is a change to the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREA_DISTRICT, type AreaId, DISTRICT_IDS } from '../../shared/domain/model.js';
import { nextPeriod, periodContaining } from '../../shared/domain/periods.js';
import { make12336Tip, webhookHeaders } from '../fixtures/tips.js';
import { testNow } from '../support/clock.js';
import { waitFor } from '../support/emulators.js';
import {
  DEV_BRIGADE_TOKEN,
  DEV_SOURCE_SECRETS,
  startTestStack,
  type TestLocalStack,
} from '../support/local-stack.js';

// biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field.
type Json = Record<string, any>;

const CALLERS = [
  'no token',
  'bad token',
  'source 12336 (the tip’s)',
  'source 12345',
  'source city-management',
  'bureau, own area',
  'bureau, other area',
  'brigade',
  'partner, notified',
  'partner, not notified',
  'leader, own district',
  'leader, other district',
] as const;
type Caller = (typeof CALLERS)[number];

type Endpoint =
  | 'GET /v1/tips/{tipId}'
  | 'GET /v1/cases/{caseId}'
  | 'GET /v1/cases'
  | 'GET /v1/cases?area=<case area>'
  | 'POST /v1/cases/{caseId}/events'
  | 'POST /v1/cases/{caseId}/events merge'
  | 'POST /v1/cases/{caseId}/events split'
  | 'GET /v1/audit?caseId='
  | 'GET /v1/ledger'
  | 'GET /v1/deliveries'
  | 'POST /v1/deliveries/{deliveryId}/retry';

// The case: a 12336 tip with a named reporter, routed to 沙家浜 (shajiabang), with partners.
// "R" = 200 with `reporter` (name and phone); 200 = without `reporter`.
//
// endpoint                        none bad  12336 12345 city own other brig p-yes p-no l-own l-oth
// biome-ignore format: the matrix reads as a table only when its columns line up.
const MATRIX: Array<[Endpoint, ...Array<number | 'R'>]> = [
  ['GET /v1/tips/{tipId}',           401, 401, 200, 404, 404, 200, 404, 200, 200, 404, 200, 404],
  ['GET /v1/cases/{caseId}',         401, 401, 403, 403, 403, 'R', 403, 'R', 200, 403, 200, 403],
  ['GET /v1/cases',                  401, 401, 403, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  ['GET /v1/cases?area=<case area>', 401, 401, 403, 403, 403, 200, 403, 200, 200, 200, 200, 403],
  ['POST /v1/cases/{caseId}/events', 401, 401, 403, 403, 403, 200, 403, 200, 403, 403, 403, 403],
  // 并单 corrections (contract 10), brigade only: merge a second case of the area into the case, then
  // split its tip off again.
  ['POST /v1/cases/{caseId}/events merge', 401, 401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403],
  ['POST /v1/cases/{caseId}/events split', 401, 401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403],
  ['GET /v1/audit?caseId=',          401, 401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403],
  ['GET /v1/ledger',                 401, 401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403],
  ['GET /v1/deliveries',             401, 401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403],
  ['POST /v1/deliveries/{deliveryId}/retry', 401, 401, 403, 403, 403, 403, 403, 202, 403, 403, 403, 403],
];

const REPORTER_NAME = '矩阵测试人';
const REPORTER_PHONE = '13700000077';

let stack: TestLocalStack;
let tipId: string;
let caseId: string;
/** A second case of the same area (another site), for the merge and split rows. */
let spareTipId: string;
let spareCaseId: string;
let area: string;
/** The case's first feedback delivery (contract 9); no endpoint is configured, so it is skipped. */
let deliveryId: string;
let tokens: Record<Caller, string | undefined>;

async function call(method: string, path: string, token: string | undefined, body?: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() };
}

function request(endpoint: Endpoint): { method: string; path: string; body?: unknown } {
  switch (endpoint) {
    case 'GET /v1/tips/{tipId}':
      return { method: 'GET', path: `/v1/tips/${tipId}` };
    case 'GET /v1/cases/{caseId}':
      return { method: 'GET', path: `/v1/cases/${caseId}` };
    case 'GET /v1/cases':
      return { method: 'GET', path: '/v1/cases' };
    case 'GET /v1/cases?area=<case area>':
      return { method: 'GET', path: `/v1/cases?area=${area}` };
    case 'POST /v1/cases/{caseId}/events':
      return {
        method: 'POST',
        path: `/v1/cases/${caseId}/events`,
        body: { type: 'comment', note: 'matrix' },
      };
    case 'POST /v1/cases/{caseId}/events merge':
      return {
        method: 'POST',
        path: `/v1/cases/${spareCaseId}/events`,
        body: { type: 'merge', intoCaseId: caseId },
      };
    case 'POST /v1/cases/{caseId}/events split':
      return {
        method: 'POST',
        path: `/v1/cases/${caseId}/events`,
        body: { type: 'split', tipId: spareTipId },
      };
    case 'GET /v1/audit?caseId=':
      return { method: 'GET', path: `/v1/audit?caseId=${caseId}` };
    case 'GET /v1/ledger':
      return { method: 'GET', path: '/v1/ledger' };
    case 'GET /v1/deliveries':
      return { method: 'GET', path: '/v1/deliveries' };
    case 'POST /v1/deliveries/{deliveryId}/retry':
      return { method: 'POST', path: `/v1/deliveries/${deliveryId}/retry` };
  }
}

beforeAll(async () => {
  stack = await startTestStack();
  const body = JSON.stringify(
    make12336Tip({
      reportId: `matrix-${Date.now()}`,
      reporter: { anonymous: false, name: REPORTER_NAME, phone: REPORTER_PHONE, wantsFeedback: true },
    }),
  );
  const accepted = await fetch(`${stack.url}/v1/tips/12336`, {
    method: 'POST',
    headers: webhookHeaders(DEV_SOURCE_SECRETS['12336'], body),
    body,
  });
  expect(accepted.status).toBe(202);
  tipId = ((await accepted.json()) as Json).tipId;
  const tip = await waitFor(
    async () => {
      const response = await call('GET', `/v1/tips/${tipId}`, DEV_BRIGADE_TOKEN);
      return response.status === 200 ? (JSON.parse(response.text) as Json) : undefined;
    },
    { what: 'the matrix tip to be routed', timeoutMs: 20_000 },
  );
  caseId = tip.caseId;
  const spare = JSON.stringify(
    make12336Tip({
      reportId: `matrix-spare-${Date.now()}`,
      reporter: { anonymous: true },
      subject: '某渔家乐',
      location: { address: '常熟市沙家浜镇芦荡村', town: '沙家浜镇', lng: 120.823, lat: 31.552 },
      description: '芦荡村某渔家乐在耕地上扩建餐厅',
    }),
  );
  const spareAccepted = await fetch(`${stack.url}/v1/tips/12336`, {
    method: 'POST',
    headers: webhookHeaders(DEV_SOURCE_SECRETS['12336'], spare),
    body: spare,
  });
  expect(spareAccepted.status).toBe(202);
  spareTipId = ((await spareAccepted.json()) as Json).tipId;
  spareCaseId = (
    await waitFor(
      async () => {
        const response = await call('GET', `/v1/tips/${spareTipId}`, DEV_BRIGADE_TOKEN);
        return response.status === 200 ? (JSON.parse(response.text) as Json) : undefined;
      },
      { what: 'the spare tip to be routed', timeoutMs: 20_000 },
    )
  ).caseId;
  const caseResponse = await call('GET', `/v1/cases/${caseId}`, DEV_BRIGADE_TOKEN);
  expect(caseResponse.status, caseResponse.text).toBe(200);
  const record = JSON.parse(caseResponse.text) as Json;
  area = record.area;
  deliveryId = await waitFor(
    async () => {
      const response = await call('GET', '/v1/deliveries?source=12336&status=skipped', DEV_BRIGADE_TOKEN);
      const items = (JSON.parse(response.text) as Json).items as Json[];
      return items.find((delivery) => delivery.tipId === tipId)?.deliveryId as string | undefined;
    },
    { what: 'the tip’s first feedback delivery to settle', timeoutMs: 20_000 },
  );
  const partners: string[] = record.partners;
  const otherArea = area === 'guli' ? 'haiyu' : 'guli';
  const notified = partners[0];
  const notNotified = ['planning', 'urban_management', 'housing', 'police'].find(
    (d) => !partners.includes(d),
  );
  // The matrix needs both kinds of partner; a change to the partner rules must not silently skip a column.
  expect(notified).toBeDefined();
  expect(notNotified).toBeDefined();
  tokens = {
    'no token': undefined,
    'bad token': 'not-a-valid-token-0000',
    'source 12336 (the tip’s)': 'dev-source-12336',
    'source 12345': 'dev-source-12345',
    'source city-management': 'dev-source-city-management',
    'bureau, own area': `dev-bureau-${area}`,
    'bureau, other area': `dev-bureau-${otherArea}`,
    brigade: DEV_BRIGADE_TOKEN,
    'partner, notified': `dev-partner-${notified}`,
    'partner, not notified': `dev-partner-${notNotified}`,
    // Contract 1: a district leader reads its district's cases, never reporter data, and acts on none.
    'leader, own district': `dev-leader-${AREA_DISTRICT[area as AreaId]}`,
    'leader, other district': `dev-leader-${DISTRICT_IDS.find((d) => d !== AREA_DISTRICT[area as AreaId])}`,
  };
});

afterAll(async () => {
  await stack?.cleanup();
});

const cells = MATRIX.flatMap(([endpoint, ...expected]) =>
  CALLERS.map((caller, column) => ({ endpoint, caller, expected: expected[column] as number | 'R' })),
);

describe('authorization matrix (contract section 1)', () => {
  it('has one expectation for every caller in every row', () => {
    for (const [, ...expected] of MATRIX) expect(expected).toHaveLength(CALLERS.length);
  });

  it.each(cells)('$endpoint as $caller → $expected', async ({ endpoint, caller, expected }) => {
    const { method, path, body } = request(endpoint);
    const response = await call(method, path, tokens[caller], body);
    expect(response.status).toBe(expected === 'R' ? 200 : expected);
    if (response.status === 404) {
      // Word for word what an id that exists nowhere gets: nothing tells the two apart.
      const nowhere = path.replace(
        /(tip|case)_[a-z2-7]{26}/,
        (id) => `${id.split('_')[0]}_${'z'.repeat(26)}`,
      );
      expect(response.text).toBe((await call(method, nowhere, tokens[caller], body)).text);
    }
    if (expected === 'R') {
      expect(JSON.parse(response.text).reporter).toMatchObject({
        name: REPORTER_NAME,
        phone: REPORTER_PHONE,
      });
    } else {
      // Whatever the status, no other answer carries the reporter in any field.
      expect(response.text).not.toContain(REPORTER_NAME);
      expect(response.text).not.toContain(REPORTER_PHONE);
      if (response.status === 200 && endpoint === 'GET /v1/cases/{caseId}') {
        expect(JSON.parse(response.text).reporter).toBeUndefined();
      }
    }
  });
});

// Monthly reports and the assessment (contract section 8), against the same local run: the matrix
// tip's area and district, next month (still open, so an allowed submission gets 409 period_open
// and changes nothing) and its year. 409 = allowed, refused for the month's state.
//
// endpoint                                  none bad  src  part own  other l-own l-oth brig
// biome-ignore format: the matrix reads as a table only when its columns line up.
const REPORT_MATRIX: Array<[ReportEndpoint, ...number[]]> = [
  ['GET /v1/reports/monthly?area=&month=',    401, 401, 403, 403, 200, 403, 200, 403, 200],
  ['GET …?area=&month=&format=xlsx',          401, 401, 403, 403, 200, 403, 200, 403, 200],
  ['GET /v1/reports/monthly?month=',          401, 401, 403, 403, 403, 403, 200, 200, 200],
  ['POST /v1/reports/monthly/{area}/…/submit', 401, 401, 403, 403, 409, 403, 403, 403, 409],
  ['POST /v1/reports/monthly/city/…/submit',  401, 401, 403, 403, 403, 403, 403, 403, 409],
  ['GET /v1/assessments?quarter=',            401, 401, 403, 403, 200, 200, 200, 200, 200],
  ['PUT /v1/assessments/{year}/satellite/{area}', 401, 401, 403, 403, 403, 403, 403, 403, 200],
];

const REPORT_CALLERS = [
  'no token',
  'bad token',
  'source',
  'partner',
  'bureau, own area',
  'bureau, other area',
  'leader, own district',
  'leader, other district',
  'brigade',
] as const;

type ReportEndpoint =
  | 'GET /v1/reports/monthly?area=&month='
  | 'GET …?area=&month=&format=xlsx'
  | 'GET /v1/reports/monthly?month='
  | 'POST /v1/reports/monthly/{area}/…/submit'
  | 'POST /v1/reports/monthly/city/…/submit'
  | 'GET /v1/assessments?quarter='
  | 'PUT /v1/assessments/{year}/satellite/{area}';

function reportRequest(endpoint: ReportEndpoint): { method: string; path: string; body?: unknown } {
  // Next month: still open at whatever instant the test runs, so no submission can go through.
  const month = nextPeriod(periodContaining('month', testNow())).id;
  const year = month.slice(0, 4);
  const quarter = `${year}-Q${Math.ceil(Number(month.slice(5)) / 3)}`;
  switch (endpoint) {
    case 'GET /v1/reports/monthly?area=&month=':
      return { method: 'GET', path: `/v1/reports/monthly?area=${area}&month=${month}` };
    case 'GET …?area=&month=&format=xlsx':
      return { method: 'GET', path: `/v1/reports/monthly?area=${area}&month=${month}&format=xlsx` };
    case 'GET /v1/reports/monthly?month=':
      return { method: 'GET', path: `/v1/reports/monthly?month=${month}` };
    case 'POST /v1/reports/monthly/{area}/…/submit':
      return {
        method: 'POST',
        path: `/v1/reports/monthly/${area}/${month}/submit`,
        body: { zeroReport: false },
      };
    case 'POST /v1/reports/monthly/city/…/submit':
      return {
        method: 'POST',
        path: `/v1/reports/monthly/city/${month}/submit`,
        body: { analysis: 'matrix' },
      };
    case 'GET /v1/assessments?quarter=':
      return { method: 'GET', path: `/v1/assessments?quarter=${quarter}` };
    case 'PUT /v1/assessments/{year}/satellite/{area}':
      return { method: 'PUT', path: `/v1/assessments/${year}/satellite/${area}`, body: { score: 88 } };
  }
}

function reportTokens(): Record<(typeof REPORT_CALLERS)[number], string | undefined> {
  const district = AREA_DISTRICT[area as AreaId];
  const otherDistrict = DISTRICT_IDS.find((each) => each !== district)!;
  return {
    'no token': undefined,
    'bad token': 'not-a-valid-token-0000',
    source: 'dev-source-12345',
    partner: 'dev-partner-police',
    'bureau, own area': `dev-bureau-${area}`,
    'bureau, other area': `dev-bureau-${area === 'guli' ? 'haiyu' : 'guli'}`,
    'leader, own district': `dev-leader-${district}`,
    'leader, other district': `dev-leader-${otherDistrict}`,
    brigade: DEV_BRIGADE_TOKEN,
  };
}

const reportCells = REPORT_MATRIX.flatMap(([endpoint, ...expected]) =>
  REPORT_CALLERS.map((caller, column) => ({ endpoint, caller, expected: expected[column] as number })),
);

describe('authorization matrix of the reports and the assessment (contract sections 1 and 8)', () => {
  it('has one expectation for every caller in every row', () => {
    for (const [, ...expected] of REPORT_MATRIX) expect(expected).toHaveLength(REPORT_CALLERS.length);
  });

  it.each(reportCells)('$endpoint as $caller → $expected', async ({ endpoint, caller, expected }) => {
    const { method, path, body } = reportRequest(endpoint);
    const response = await call(method, path, reportTokens()[caller], body);
    expect(response.status, response.text.slice(0, 300)).toBe(expected);
    if (expected === 409) expect(JSON.parse(response.text).error.code).toBe('period_open');
    expect(response.text).not.toContain(REPORTER_NAME);
    expect(response.text).not.toContain(REPORTER_PHONE);
  });
});

// Patrols (contract sections 1 and 7): every principal kind, leaders included, against the patrol
// endpoints, for the area 梅李镇 (meili, district-3). A POST body is the kind its row names, so each
// row shows who may record that kind there; a 201 records a patrol of this week.
const PATROL_CALLERS = [
  'no token',
  'bad token',
  'source 12336',
  'bureau meili',
  'bureau guli',
  'brigade',
  'partner police',
  'leader district-3',
  'leader district-1',
] as const;
type PatrolCaller = (typeof PATROL_CALLERS)[number];

const PATROL_TOKENS: Record<PatrolCaller, string | undefined> = {
  'no token': undefined,
  'bad token': 'not-a-valid-token-0000',
  'source 12336': 'dev-source-12336',
  'bureau meili': 'dev-bureau-meili',
  'bureau guli': 'dev-bureau-guli',
  brigade: DEV_BRIGADE_TOKEN,
  'partner police': 'dev-partner-police',
  'leader district-3': 'dev-leader-district-3',
  'leader district-1': 'dev-leader-district-1',
};

type PatrolEndpoint =
  | 'POST /v1/patrols (bureau, meili)'
  | 'POST /v1/patrols (spot_check, meili)'
  | 'POST /v1/patrols (leader, meili)'
  | 'GET /v1/patrols'
  | 'GET /v1/patrols?area=meili'
  | 'GET /v1/patrols/compliance?period=<this week>';

// endpoint                                         none bad  src  meili guli brig  pol  ldr3 ldr1
// biome-ignore format: the matrix reads as a table only when its columns line up.
const PATROL_MATRIX: Array<[PatrolEndpoint, ...number[]]> = [
  ['POST /v1/patrols (bureau, meili)',               401, 401, 403, 201, 403, 403, 403, 403, 403],
  ['POST /v1/patrols (spot_check, meili)',           401, 401, 403, 403, 403, 201, 403, 403, 403],
  ['POST /v1/patrols (leader, meili)',               401, 401, 403, 403, 403, 403, 403, 201, 403],
  ['GET /v1/patrols',                                401, 401, 403, 200, 200, 200, 403, 200, 200],
  ['GET /v1/patrols?area=meili',                     401, 401, 403, 200, 403, 200, 403, 200, 403],
  ['GET /v1/patrols/compliance?period=<this week>',  401, 401, 403, 200, 200, 200, 403, 200, 200],
];

function patrolRequest(endpoint: PatrolEndpoint): { method: string; path: string; body?: unknown } {
  const post = (kind: string) => {
    const endedAt = new Date(Math.floor(testNow().getTime() / 1000) * 1000);
    const startedAt = new Date(endedAt.getTime() - 30 * 60_000);
    return {
      method: 'POST',
      path: '/v1/patrols',
      body: {
        kind,
        area: 'meili',
        startedAt: startedAt.toISOString(),
        endedAt: endedAt.toISOString(),
        officers: ['矩阵'],
      },
    };
  };
  switch (endpoint) {
    case 'POST /v1/patrols (bureau, meili)':
      return post('bureau');
    case 'POST /v1/patrols (spot_check, meili)':
      return post('spot_check');
    case 'POST /v1/patrols (leader, meili)':
      return post('leader');
    case 'GET /v1/patrols':
      return { method: 'GET', path: '/v1/patrols' };
    case 'GET /v1/patrols?area=meili':
      return { method: 'GET', path: '/v1/patrols?area=meili' };
    case 'GET /v1/patrols/compliance?period=<this week>':
      return {
        method: 'GET',
        path: `/v1/patrols/compliance?period=${periodContaining('week', testNow()).id}`,
      };
  }
}

const patrolCells = PATROL_MATRIX.flatMap(([endpoint, ...expected]) =>
  PATROL_CALLERS.map((caller, column) => ({ endpoint, caller, expected: expected[column] as number })),
);

describe('authorization matrix of the patrol endpoints (contract sections 1 and 7)', () => {
  it('has one expectation for every caller in every row', () => {
    for (const [, ...expected] of PATROL_MATRIX) expect(expected).toHaveLength(PATROL_CALLERS.length);
  });

  it.each(patrolCells)('$endpoint as $caller → $expected', async ({ endpoint, caller, expected }) => {
    const { method, path, body } = patrolRequest(endpoint);
    const response = await call(method, path, PATROL_TOKENS[caller], body);
    expect(response.status, response.text).toBe(expected);
    if (response.status === 403) expect(JSON.parse(response.text).error.code).toBe('forbidden');
  });
});
