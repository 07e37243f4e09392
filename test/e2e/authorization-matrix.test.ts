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
import { make12336Tip, webhookHeaders } from '../fixtures/tips.js';
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
] as const;
type Caller = (typeof CALLERS)[number];

type Endpoint =
  | 'GET /v1/tips/{tipId}'
  | 'GET /v1/cases/{caseId}'
  | 'GET /v1/cases'
  | 'GET /v1/cases?area=<case area>'
  | 'POST /v1/cases/{caseId}/events'
  | 'GET /v1/audit?caseId='
  | 'GET /v1/ledger'
  | 'GET /v1/deliveries'
  | 'POST /v1/deliveries/{deliveryId}/retry';

// The case: a 12336 tip with a named reporter, routed to 沙家浜 (shajiabang), with partners.
// "R" = 200 with `reporter` (name and phone); 200 = without `reporter`.
//
// endpoint                        none bad  12336 12345 city own other brig p-yes p-no
// biome-ignore format: the matrix reads as a table only when its columns line up.
const MATRIX: Array<[Endpoint, ...Array<number | 'R'>]> = [
  ['GET /v1/tips/{tipId}',           401, 401, 200, 404, 404, 200, 404, 200, 200, 404],
  ['GET /v1/cases/{caseId}',         401, 401, 403, 403, 403, 'R', 403, 'R', 200, 403],
  ['GET /v1/cases',                  401, 401, 403, 403, 403, 200, 200, 200, 200, 200],
  ['GET /v1/cases?area=<case area>', 401, 401, 403, 403, 403, 200, 403, 200, 200, 200],
  ['POST /v1/cases/{caseId}/events', 401, 401, 403, 403, 403, 200, 403, 200, 403, 403],
  ['GET /v1/audit?caseId=',          401, 401, 403, 403, 403, 403, 403, 200, 403, 403],
  ['GET /v1/ledger',                 401, 401, 403, 403, 403, 403, 403, 200, 403, 403],
  ['GET /v1/deliveries',             401, 401, 403, 403, 403, 403, 403, 200, 403, 403],
  ['POST /v1/deliveries/{deliveryId}/retry', 401, 401, 403, 403, 403, 403, 403, 202, 403, 403],
];

const REPORTER_NAME = '矩阵测试人';
const REPORTER_PHONE = '13700000077';

let stack: TestLocalStack;
let tipId: string;
let caseId: string;
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
