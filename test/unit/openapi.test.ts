import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SOURCES } from '../../shared/domain/model.js';
import { SOURCE_MODULES } from '../../shared/domain/sources/index.js';
import { CASE_API_ROUTES, splitRouteKey } from '../../shared/http/case-api-routes.js';
import { ERROR_ANSWERS, ERROR_CODES, errorResponse } from '../../shared/http/error-responses.js';
import { buildOpenApiDocument } from '../../shared/http/openapi.js';
import { complianceQuerySchema, patrolListQueryFields } from '../../shared/http/patrol-routes.js';
import {
  auditQuerySchema,
  caseListQuerySchema,
  caseViewQuerySchema,
  ledgerQuerySchema,
} from '../../shared/http/query.js';
import { make12336Tip, sample12336, sample12345, sampleCityManagement } from '../fixtures/tips.js';
import { REPORTABLE_ERROR_CLASSES } from '../support/error-classes.js';

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, unknown>; security?: unknown; parameters?: { name: string }[] }
    >
  >;
  components: { schemas: Record<string, object> };
};
const doc = buildOpenApiDocument() as unknown as Doc;

/** The generated JSON Schema turned back into a validator, to check it says what the zod schema says. */
function generated(name: string) {
  return z.fromJSONSchema(doc.components.schemas[name] as never);
}

describe('buildOpenApiDocument', () => {
  it('is OpenAPI 3.1, valid JSON, deterministic and memoized', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(buildOpenApiDocument()).toBe(buildOpenApiDocument());
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(Object.isFrozen(doc)).toBe(true);
  });

  it('has every path of the contract', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/health',
        '/openapi.json',
        '/v1/tips/12336',
        '/v1/tips/12345',
        '/v1/tips/city-management',
        '/v1/tips/{tipId}',
        '/v1/cases',
        '/v1/cases/{caseId}',
        '/v1/cases/{caseId}/events',
        '/v1/ledger',
        '/v1/audit',
        '/v1/reports/monthly',
        '/v1/reports/monthly/{area}/{month}/submit',
        '/v1/assessments',
        '/v1/assessments/{year}/satellite/{area}',
        '/v1/patrols',
        '/v1/patrols/compliance',
        '/v1/deliveries',
        '/v1/deliveries/{deliveryId}/retry',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/v1/cases/{caseId}/events'] ?? {})).toEqual(['post']);
  });

  it('documents every intake response of contract 2.4 and the webhook headers', () => {
    for (const source of ['12336', '12345', 'city-management']) {
      const operation = doc.paths[`/v1/tips/${source}`]?.post;
      const expected = ['202', '400', '401', '404', '413', '415', '429', '503'];
      // Both have events that are neither tips nor follow-ups (contract 2.3, 9).
      if (source !== '12336') expected.push('422');
      expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(expected.sort());
      expect(operation?.parameters?.map((parameter) => parameter.name)).toEqual([
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
      ]);
    }
  });

  it('protects the case API with bearer auth', () => {
    for (const path of ['/v1/tips/{tipId}', '/v1/cases', '/v1/cases/{caseId}']) {
      expect(doc.paths[path]?.get?.security).toEqual([{ bearerAuth: [] }]);
    }
    expect(doc.paths['/v1/cases/{caseId}/events']?.post?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/v1/cases/{caseId}/events']?.post?.responses).toHaveProperty('409');
  });

  it('describes the source bodies so that the contract examples validate and broken ones do not', () => {
    expect(generated('Tip12336').safeParse(sample12336).success).toBe(true);
    expect(generated('Tip12345').safeParse(sample12345).success).toBe(true);
    expect(generated('TipCityManagement').safeParse(sampleCityManagement).success).toBe(true);
    expect(generated('Tip12336').safeParse(make12336Tip({ reportId: undefined })).success).toBe(false);
    expect(generated('Tip12336').safeParse(make12336Tip({ channel: 'fax' as 'web' })).success).toBe(false);
  });

  it('describes the error shape', () => {
    const error = generated('Error');
    expect(
      error.safeParse({
        error: { code: 'validation_failed', message: 'm', details: [{ path: 'a', message: 'b' }] },
      }).success,
    ).toBe(true);
    expect(error.safeParse({ error: { code: 'nope', message: 'm' } }).success).toBe(false);
  });
});

describe('the documented extensions', () => {
  type Parameter = { name: string; in: string; required?: boolean };
  const parameters = (path: string) => (doc.paths[path]?.get?.parameters ?? []) as unknown as Parameter[];

  it('documents GET /v1/audit: bearer, caseId required, cursor, limit, {items, cursor}', () => {
    const audit = doc.paths['/v1/audit']?.get;
    expect(audit?.security).toEqual([{ bearerAuth: [] }]);
    expect(parameters('/v1/audit').map((p) => [p.name, p.in, p.required ?? false])).toEqual([
      ['caseId', 'query', true],
      ['cursor', 'query', false],
      ['limit', 'query', false],
    ]);
    expect(Object.keys(audit?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404']);
    const page = generated('AuditPage');
    const record = {
      id: 'a1',
      at: '2026-11-28T01:00:00.000Z',
      action: 'reporter.view',
      caseId: 'case_x',
      caseNo: '2026-000001',
      tipId: 'tip_x',
      principal: 'bureau:guli',
      actor: { name: '王五', role: 'officer' },
      reason: '回访举报人',
    };
    expect(page.safeParse({ items: [record], cursor: null }).success).toBe(true);
    expect(page.safeParse({ items: [record] }).success).toBe(false);
  });

  it('documents the optional reason of GET /v1/cases/{caseId} and GET /v1/ledger', () => {
    const reason = parameters('/v1/cases/{caseId}').find((p) => p.name === 'reason');
    expect(reason).toMatchObject({ in: 'query' });
    expect(reason?.required ?? false).toBe(false);
    expect(doc.paths['/v1/ledger']?.get?.security).toEqual([{ bearerAuth: [] }]);
    expect(parameters('/v1/ledger').map((p) => p.name)).toEqual(['year', 'bureau']);
  });

  it('documents the deadline fields, overdue and routing.previous of the case', () => {
    type Props = { properties: Record<string, { items?: Props } & Props>; required?: string[] };
    const caseSchema = doc.components.schemas.Case as Props;
    const deadline = caseSchema.properties.deadlines!.items!;
    expect(Object.keys(deadline.properties)).toEqual(
      expect.arrayContaining([
        'provisional',
        'basis',
        'countedFrom',
        'sourceDueAt',
        'remindedAt',
        'escalatedAt',
      ]),
    );
    expect(caseSchema.required).toContain('overdue');
    expect(caseSchema.properties.routing!.properties.previous!.items!.properties).toHaveProperty(
      'replacedAt',
    );
  });

  it('documents the Chinese label beside each code of the case (contract 11), none of them required', () => {
    type Props = { properties: Record<string, { items?: Props } & Props>; required?: string[] };
    const caseSchema = doc.components.schemas.Case as Props;
    const labels = [
      'statusLabel',
      'districtName',
      'bureauName',
      'violationTypeLabel',
      'severityLabel',
      'partnerLabels',
    ];
    expect(Object.keys(caseSchema.properties)).toEqual(expect.arrayContaining(labels));
    for (const label of labels) expect(caseSchema.required).not.toContain(label);
    expect(caseSchema.properties.deadlines!.items!.properties).toHaveProperty('label');
    expect(caseSchema.properties.events!.items!.properties).toHaveProperty('label');
    expect(caseSchema.properties.tips!.items!.properties).toHaveProperty('sourceLabel');
    expect(caseSchema.properties.routing!.properties).toHaveProperty('methodLabel');
  });
});

describe('the documented case event body', () => {
  it.each([
    [{ type: 'acknowledge' }, true],
    [{ type: 'inspect', finding: 'violation_confirmed', note: '现场已打地基' }, true],
    [{ type: 'inspect' }, false],
    [{ type: 'stop', result: 'failed' }, true],
    [{ type: 'stop', result: 'maybe' }, false],
    [{ type: 'close', outcome: '已拆除' }, true],
    [{ type: 'close' }, false],
    [{ type: 'reassign', area: 'guli', eventId: 'e-1' }, true],
    [{ type: 'reassign', area: 'shanghai' }, false],
    [{ type: 'comment', note: '…' }, true],
    [{ type: 'teleport' }, false],
  ])('%j valid: %s', (body, valid) => {
    expect(generated('CaseEvent').safeParse(body).success).toBe(valid);
  });

  it('lists every error code the API sends, and 409 conflict for case events', () => {
    const codes: Array<{ code: string }> = [];
    for (const ErrorClass of REPORTABLE_ERROR_CLASSES) {
      const response = errorResponse(new ErrorClass('x'));
      codes.push({ code: JSON.parse(String(response.body)).error.code });
    }
    expect(codes.map((each) => each.code)).toContain('conflict');
    const documented = generated('Error');
    for (const { code } of codes) {
      expect(documented.safeParse({ error: { code, message: 'x' } }).success, code).toBe(true);
    }
    const eventResponses = doc.paths['/v1/cases/{caseId}/events']!.post!.responses as Record<
      string,
      { content: { 'application/json': { examples?: unknown; schema: unknown } }; description: string }
    >;
    expect(JSON.stringify(eventResponses['409'])).toContain('conflict');
  });
});

describe('what the document derives instead of stating', () => {
  type Response = { description?: string; headers?: Record<string, unknown>; $ref?: string };
  const components = (buildOpenApiDocument() as { components: { responses: Record<string, Response> } })
    .components.responses;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ at: `${method} ${path}`, operation })),
  );

  it('documents every route of the case API and every source', () => {
    for (const route of CASE_API_ROUTES) {
      const [method, path] = splitRouteKey(route);
      expect(doc.paths[path]?.[method.toLowerCase()], route).toBeDefined();
    }
    for (const source of SOURCES) expect(doc.paths[`/v1/tips/${source}`]?.post, source).toBeDefined();
  });

  it('lists exactly the error codes of the mapper', () => {
    const { properties } = doc.components.schemas.Error as {
      properties: { error: { properties: { code: { enum: string[] } } } };
    };
    expect(properties.error.properties.code.enum).toEqual([...ERROR_CODES]);
  });

  it('gives each error response the status and Retry-After the mapper answers its codes with', () => {
    const answers = new Map([...ERROR_ANSWERS.values()].map((answer) => [answer.code, answer]));
    let checked = 0;
    for (const { at, operation } of operations) {
      for (const [status, declared] of Object.entries(operation.responses)) {
        const response = (declared as Response).$ref
          ? components[(declared as Response).$ref!.split('/').at(-1)!]!
          : (declared as Response);
        const codes = /\(code: (.+)\)$/.exec(response.description ?? '')?.[1]?.split(' or ') ?? [];
        for (const code of codes) {
          expect(answers.get(code)?.status, `${at} ${status} ${code}`).toBe(Number(status));
          const retries = answers.get(code)?.retryAfterSeconds !== undefined;
          expect(response.headers?.['Retry-After'] !== undefined, `${at} ${status} Retry-After`).toBe(
            retries,
          );
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('documents each query parameter the API parses, and only those', () => {
    const documented = (path: string, method = 'get') =>
      ((doc.paths[path]?.[method]?.parameters ?? []) as { name: string; in: string }[])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => parameter.name);
    expect(documented('/v1/cases')).toEqual(Object.keys(caseListQuerySchema.shape));
    expect(documented('/v1/cases/{caseId}')).toEqual(Object.keys(caseViewQuerySchema.shape));
    expect(documented('/v1/ledger')).toEqual(Object.keys(ledgerQuerySchema.shape));
    expect(documented('/v1/audit')).toEqual(Object.keys(auditQuerySchema.shape));
    expect(documented('/v1/patrols')).toEqual(Object.keys(patrolListQueryFields.shape));
    expect(documented('/v1/patrols/compliance')).toEqual(Object.keys(complianceQuerySchema.shape));
  });

  it('shows each source module its own example and unsupported-event answer', () => {
    for (const source of SOURCES) {
      const post = doc.paths[`/v1/tips/${source}`]!.post! as unknown as {
        requestBody: { content: { 'application/json': { example: unknown } } };
      };
      expect(post.requestBody.content['application/json'].example).toEqual(SOURCE_MODULES[source].example);
      expect('422' in doc.paths[`/v1/tips/${source}`]!.post!.responses).toBe(
        SOURCE_MODULES[source].unsupportedEvents !== undefined,
      );
    }
  });

  it('describes the ledger as readLedger answers it', () => {
    const entry = {
      entryId: 'case_a#acknowledge#admonishment',
      year: 2026,
      bureau: 'bureau:guli',
      kind: 'admonishment',
      caseId: 'case_a',
      caseNo: '2026-000001',
      deadline: 'acknowledge',
      dueAt: '2026-11-30T23:59:59+08:00',
      breachedAt: '2026-12-01T00:00:00.000Z',
      chief: 'unknown',
      officer: '王五',
      reason: 'deadline_breach',
      reasonLabel: '办理超时',
      recordedAt: '2026-12-01T00:00:00.000Z',
    };
    const ledger = generated('Ledger');
    expect(ledger.safeParse({ year: 2026, entries: [entry], vetoes: ['bureau:guli'] }).success).toBe(true);
    expect(
      ledger.safeParse({ year: 2026, entries: [{ ...entry, kind: 'praise' }], vetoes: [] }).success,
    ).toBe(false);
  });
});

describe('the reports API (contract section 8)', () => {
  it('documents every route of the reports function, bearer-protected, with its query parameters', async () => {
    const { REPORTS_API_ROUTES, splitReportsRouteKey } = await import(
      '../../shared/http/reports-api-routes.js'
    );
    const { assessmentQuerySchema, monthlyReportQuerySchema } = await import(
      '../../shared/http/reports-query.js'
    );
    for (const route of REPORTS_API_ROUTES) {
      const [method, path] = splitReportsRouteKey(route);
      expect(doc.paths[path]?.[method.toLowerCase()]?.security, route).toEqual([{ bearerAuth: [] }]);
    }
    const names = (path: string) => (doc.paths[path]?.get?.parameters ?? []).map((p) => p.name);
    expect(names('/v1/reports/monthly')).toEqual(Object.keys(monthlyReportQuerySchema.shape));
    expect(names('/v1/assessments')).toEqual(Object.keys(assessmentQuerySchema.shape));
    const submit = doc.paths['/v1/reports/monthly/{area}/{month}/submit']!.post!.responses;
    expect(Object.keys(submit).sort()).toEqual(['200', '400', '401', '403', '404', '409', '415', '422']);
    expect(JSON.stringify(submit['409'])).toContain('period_open or already_submitted');
    expect(JSON.stringify(submit['422'])).toContain('zero_report_mismatch');
  });

  it('describes the monthly report as the contract example shows it', () => {
    const report = generated('MonthlyReport');
    const example = {
      area: 'meili',
      areaName: '梅李镇',
      month: '2026-11',
      status: 'draft',
      dueAt: '2026-12-25T23:59:59+08:00',
      figures: {
        patrols: { total: 9, byKind: { bureau: 9 }, weeksMet: 4, weeks: 4, withFindings: 2 },
        cases: {
          new: 5,
          bySource: { patrol: 2, '12336': 1, '12345': 2, 'city-management': 0 },
          byViolationType: { illegal_occupation: 4, farmland_destruction: 1 },
          violationsConfirmed: 4,
          violationsConfirmedByPatrol: 2,
          stopped: 3,
          townNotified: 1,
          closed: 2,
          areaMu: 12.5,
        },
        deadlines: { met: 14, breached: 1 },
        patrolDiscoveryRate: 0.5,
        hotline: {
          urges: 0,
          callbacks: 0,
          satisfied: 0,
          basicallySatisfied: 0,
          dissatisfied: 0,
          satisfactionRate: null,
        },
      },
      zeroReport: false,
      analysis: null,
      submittedAt: null,
      submittedBy: null,
    };
    expect(report.safeParse(example).success).toBe(true);
    expect(report.safeParse({ ...example, status: 'lost' }).success).toBe(false);
    expect(generated('SubmitReport').safeParse({ analysis: '…', zeroReport: true }).success).toBe(true);
    expect(generated('SubmitReport').safeParse({ analysis: '…' }).success).toBe(false);
  });
});

describe('the patrol endpoints (contract section 7)', () => {
  const example = {
    clientId: 'a0b1',
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
    ],
    note: '…',
  };

  it("takes the contract's example body and refuses a broken one", () => {
    expect(generated('PatrolInput').safeParse(example).success).toBe(true);
    expect(generated('PatrolInput').safeParse({ ...example, officers: [] }).success).toBe(false);
    expect(generated('PatrolInput').safeParse({ ...example, focus: ['farmland'] }).success).toBe(false);
  });

  it('documents every answer of each patrol operation, behind bearer auth', () => {
    const post = doc.paths['/v1/patrols']?.post;
    expect(post?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(post?.responses ?? {}).sort()).toEqual(
      ['200', '201', '400', '401', '403', '413', '415', '422'].sort(),
    );
    expect(JSON.stringify(post?.responses['422'])).toContain('too_late');
    expect(Object.keys(doc.paths['/v1/patrols']?.get?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
    ]);
    const compliance = doc.paths['/v1/patrols/compliance']?.get;
    expect(compliance?.parameters).toEqual([
      expect.objectContaining({ name: 'period', in: 'query', required: true }),
    ]);
  });

  it('describes a stored patrol and a compliance answer', () => {
    const patrol = {
      patrolId: 'pat_aaaaaaaaaaaaaaaaaaaaaaaaaa',
      patrolNo: 'XC-meili-20261130-01',
      kind: 'bureau',
      area: 'meili',
      district: 'district-3',
      startedAt: example.startedAt,
      endedAt: example.endedAt,
      officers: example.officers,
      places: [{ name: '珍北村', area: 'meili', matched: '珍北村', kind: 'village' }],
      focus: example.focus,
      track: {
        ...example.track,
        wgs84: [
          [120.92, 31.68],
          [120.94, 31.69],
        ],
      },
      findings: [{ ...example.findings[0], caseId: 'case_a', caseNo: '2026-000001' }],
      recordedBy: 'bureau:meili',
      recordedAt: '2026-11-30T04:00:00.000Z',
    };
    expect(generated('Patrol').safeParse(patrol).success).toBe(true);
    expect(generated('PatrolList').safeParse({ items: [patrol], cursor: null }).success).toBe(true);
    const row = {
      unit: 'bureau:meili',
      unitName: '梅李镇国土分局',
      requirement: 'bureau_weekly',
      requirementLabel: '分局每周巡查',
      area: 'meili',
      required: 2,
      done: 1,
      status: 'open',
    };
    const view = {
      period: '2026-W49',
      kind: 'week',
      label: '2026年第49周',
      startsAt: '2026-11-30T00:00:00+08:00',
      endsAt: '2026-12-07T00:00:00+08:00',
      decidesAt: '2026-12-08T23:59:59+08:00',
      decided: false,
      reportingStart: '2026-11-30',
      units: [row],
    };
    expect(generated('PatrolCompliance').safeParse(view).success).toBe(true);
    expect(
      generated('PatrolCompliance').safeParse({ ...view, units: [{ ...row, status: 'late' }] }).success,
    ).toBe(false);
  });
});
