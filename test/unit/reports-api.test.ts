/**
 * The reports API (contract section 8) over in-memory ports: who may read and submit what, the
 * figures from cases and patrols (patrol findings included), the zero-report rule, submission
 * (frozen figures, who and when, one copy to the town and one to the brigade), the consolidated
 * report, the assessment, satellite scores, and the spreadsheets read back with exceljs.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSESSMENT_WEIGHTS } from '../../shared/domain/assessment.js';
import { AREA_IDS, type CaseRecord, type NoticeMessage } from '../../shared/domain/model.js';
import { DEFAULT_PATROL_REQUIREMENTS } from '../../shared/domain/patrol.js';
import { TokenAuthenticator } from '../../shared/http/auth.js';
import { errorResponse } from '../../shared/http/error-responses.js';
import { handleReportsApi, type ReportsApiDeps } from '../../shared/http/reports-api.js';
import { caseRecord } from '../support/case-record.js';
import { MemoryLedgerStore } from '../support/memory-ledger.js';
import { ManualClock, MemoryAssignmentQueue } from '../support/memory-ports.js';
import {
  MemoryCaseHistory,
  MemoryPatrolReader,
  MemoryReportStore,
  patrol,
} from '../support/memory-reports.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are asserted field by field.
type Json = Record<string, any>;

const TOKENS = {
  'tok-brigade': 'brigade',
  'tok-meili': { principal: 'bureau:meili', actor: { name: '王五', role: 'officer' as const } },
  'tok-guli': 'bureau:guli',
  'tok-leader-3': 'leader:district-3',
  'tok-leader-1': 'leader:district-1',
  'tok-partner': 'partner:police',
  'tok-source': 'source:12345',
};
type Token = keyof typeof TOKENS;

const at = (shanghai: string) => new Date(`${shanghai}+08:00`).toISOString();

let serial = 0;
function meiliCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  serial += 1;
  return caseRecord({
    caseId: `case_${String(serial).padStart(26, 'm')}`,
    area: 'meili',
    areaName: '梅李镇',
    district: 'district-3',
    bureau: 'bureau:meili',
    deadlines: [],
    events: [],
    ...overrides,
  });
}

function setup(now = '2026-12-02T10:00:00+08:00') {
  const cases = new MemoryCaseHistory();
  const patrols = new MemoryPatrolReader();
  const reports = new MemoryReportStore();
  const queue = new MemoryAssignmentQueue();
  const ledger = new MemoryLedgerStore();
  const clock = new ManualClock(new Date(now));
  const deps: ReportsApiDeps = {
    cases,
    patrols,
    reports,
    satellite: reports,
    ledger,
    queue,
    clock,
    reportingStart: async () => '2026-10-01',
    config: { dueDay: 25, lookbackDays: 120, requirements: DEFAULT_PATROL_REQUIREMENTS },
    weights: DEFAULT_ASSESSMENT_WEIGHTS,
    auth: TokenAuthenticator.fromPlainTokens(TOKENS),
  };
  const call = async (
    routeKey: string,
    options: { token?: Token; path?: Record<string, string>; query?: Record<string, string>; body?: unknown },
  ): Promise<{ status: number; headers: Json; body: Json; raw: APIGatewayProxyStructuredResultV2 }> => {
    const event = {
      routeKey,
      rawPath: routeKey.split(' ')[1],
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.path ? { pathParameters: options.path } : {}),
      ...(options.query ? { queryStringParameters: options.query } : {}),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const raw = await handleReportsApi(event, deps).catch((error: unknown) => {
      const answer = errorResponse(error);
      if (answer.statusCode === 500) throw error;
      return answer;
    });
    const type = String(raw.headers?.['content-type'] ?? '');
    return {
      status: raw.statusCode ?? 200,
      headers: raw.headers ?? {},
      body: type.startsWith('application/json') ? JSON.parse(String(raw.body)) : {},
      raw,
    };
  };
  const monthly = (token: Token, query: Record<string, string>) =>
    call('GET /v1/reports/monthly', { token, query });
  const submit = (token: Token, area: string, month: string, body: unknown) =>
    call('POST /v1/reports/monthly/{area}/{month}/submit', { token, path: { area, month }, body });
  const sentNotices = () =>
    queue.messages
      .filter((message): message is NoticeMessage => message.type === 'notice')
      .map((message) => message.notification);
  return { deps, cases, patrols, reports, queue, clock, ledger, call, monthly, submit, sentNotices };
}

/** November in 梅李: two bureau patrols a week, one with a finding that became a case, and a 12336 tip. */
function november(h: ReturnType<typeof setup>) {
  for (const day of ['02', '05', '09', '12', '16', '19', '23', '26']) {
    h.patrols.patrols.push(patrol({ area: 'meili', startedAt: at(`2026-11-${day}T09:00:00`) }));
  }
  h.patrols.patrols[1]!.findings = [
    { description: '彩钢棚', violationType: 'illegal_occupation', caseId: 'case_p' },
  ];
  h.cases.cases.push(
    meiliCase({
      source: 'patrol',
      tips: [],
      violationType: 'illegal_occupation',
      description: '新建彩钢棚约200平方米',
      createdAt: at('2026-11-05T12:00:00'),
      events: [
        {
          type: 'inspect',
          at: at('2026-11-05T12:00:00'),
          by: 'bureau:meili',
          finding: 'violation_confirmed',
        },
      ],
    }),
    meiliCase({ createdAt: at('2026-11-20T10:00:00') }),
  );
}

describe('GET /v1/reports/monthly?area=&month=', () => {
  it('is computed from the data: patrols, weeks met, cases by source with patrol findings, the discovery rate', async () => {
    const h = setup();
    november(h);
    const { status, body } = await h.monthly('tok-meili', { area: 'meili', month: '2026-11' });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      area: 'meili',
      month: '2026-11',
      status: 'draft',
      dueAt: '2026-12-25T23:59:59+08:00',
      zeroReport: false,
      analysis: null,
      submittedAt: null,
      submittedBy: null,
      figures: {
        patrols: { total: 8, byKind: { bureau: 8 }, weeksMet: 4, weeks: 4, withFindings: 1 },
        cases: {
          new: 2,
          bySource: { patrol: 1, '12336': 1, '12345': 0, 'city-management': 0 },
          violationsConfirmed: 1,
          areaMu: 0.3,
        },
        patrolDiscoveryRate: 1,
      },
    });
  });

  it("is read by the area's bureau, the brigade and the area's district leader only", async () => {
    const h = setup();
    const statuses = [];
    for (const token of [
      'tok-meili',
      'tok-brigade',
      'tok-leader-3',
      'tok-guli',
      'tok-leader-1',
      'tok-partner',
      'tok-source',
    ] as const) {
      statuses.push((await h.monthly(token, { area: 'meili', month: '2026-11' })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 403, 403, 403, 403]);
    expect(
      (await h.call('GET /v1/reports/monthly', { query: { area: 'meili', month: '2026-11' } })).status,
    ).toBe(401);
  });

  it('names the failing parameter of a bad query', async () => {
    const h = setup();
    const bad = await h.monthly('tok-brigade', { area: 'meili', month: '2026-13' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'month' }] });
    const area = await h.monthly('tok-brigade', { area: 'shanghai', month: '2026-11' });
    expect(area.body.error.details[0].path).toBe('area');
    expect((await h.monthly('tok-brigade', { area: 'meili', month: '2026-11', format: 'pdf' })).status).toBe(
      400,
    );
  });

  it('is open while the month runs', async () => {
    const h = setup('2026-11-30T23:00:00+08:00');
    expect((await h.monthly('tok-meili', { area: 'meili', month: '2026-11' })).body.status).toBe('open');
  });
});

describe('POST /v1/reports/monthly/{area}/{month}/submit', () => {
  it('freezes the figures, records who and when, and sends one copy to the town and one to the brigade', async () => {
    const h = setup();
    november(h);
    const submitted = await h.submit('tok-meili', 'meili', '2026-11', {
      analysis: '本月巡查发现彩钢棚一处，已制止。',
      zeroReport: false,
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      status: 'submitted',
      zeroReport: false,
      analysis: '本月巡查发现彩钢棚一处，已制止。',
      submittedAt: new Date('2026-12-02T10:00:00+08:00').toISOString(),
      submittedBy: 'bureau:meili',
      submittedByName: '王五',
    });
    const notices = h.sentNotices();
    expect(notices.map((n) => `${n.kind}|${n.audience}|${n.target}|${n.report}`).sort()).toEqual([
      'monthly_report|brigade|brigade|meili/2026-11',
      'monthly_report|town|town:meili|meili/2026-11',
    ]);
    for (const notice of notices) {
      expect(notice.caseId).toBeUndefined();
      expect([...notice.sms].length).toBeLessThanOrEqual(70);
      expect(notice.subject).toBe('【巡查月报】梅李镇国土分局2026年11月巡查月报');
      expect(notice.email).toContain('情况分析：本月巡查发现彩钢棚一处，已制止。');
    }
    expect(notices.find((n) => n.target === 'town:meili')!.email.startsWith('梅李镇人民政府：')).toBe(true);

    // New data after the submission changes nothing in the report.
    h.cases.cases.push(meiliCase({ createdAt: at('2026-11-28T10:00:00') }));
    const read = await h.monthly('tok-brigade', { area: 'meili', month: '2026-11' });
    expect(read.body.figures).toEqual(submitted.body.figures);
    expect(read.body.status).toBe('submitted');

    const again = await h.submit('tok-brigade', 'meili', '2026-11', { analysis: '再报', zeroReport: false });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_submitted');
    expect(h.sentNotices()).toHaveLength(2);
  });

  it('requires zeroReport: true exactly for a month with no new case of any source', async () => {
    const h = setup();
    const read = await h.monthly('tok-guli', { area: 'guli', month: '2026-11' });
    expect(read.body.zeroReport).toBe(true);
    const wrong = await h.submit('tok-guli', 'guli', '2026-11', { analysis: '无', zeroReport: false });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('zero_report_mismatch');
    expect(h.sentNotices()).toEqual([]);
    const right = await h.submit('tok-guli', 'guli', '2026-11', { zeroReport: true });
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ zeroReport: true, analysis: null });
    expect(h.sentNotices()[0]!.sms).toContain('零报告');

    november(h);
    const patrolOnly = await h.submit('tok-meili', 'meili', '2026-11', { zeroReport: true });
    expect(patrolOnly.body.error.code).toBe('zero_report_mismatch');
  });

  it('refuses a month not yet over, other bureaus, leaders, and names a missing zeroReport', async () => {
    const h = setup('2026-11-30T23:59:59+08:00');
    const early = await h.submit('tok-meili', 'meili', '2026-11', { zeroReport: true });
    expect([early.status, early.body.error.code]).toEqual([409, 'period_open']);
    h.clock.set('2026-12-01T00:00:00+08:00');
    expect((await h.submit('tok-guli', 'meili', '2026-11', { zeroReport: true })).status).toBe(403);
    expect((await h.submit('tok-leader-3', 'meili', '2026-11', { zeroReport: true })).status).toBe(403);
    const missing = await h.submit('tok-meili', 'meili', '2026-11', { analysis: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: 'zeroReport' })]);
    expect((await h.submit('tok-meili', 'shanghai', '2026-11', { zeroReport: true })).status).toBe(404);
    expect((await h.submit('tok-meili', 'meili', 'november', { zeroReport: true })).status).toBe(404);
  });

  it('is late after the due instant, and a retry hands over notices a failed submission never sent', async () => {
    const h = setup('2026-12-26T09:00:00+08:00');
    h.reports.failMarks = 1;
    await expect(h.submit('tok-guli', 'guli', '2026-11', { zeroReport: true })).rejects.toThrow(
      'table unavailable',
    );
    const retry = await h.submit('tok-guli', 'guli', '2026-11', { zeroReport: true });
    expect(retry.body.error.code).toBe('already_submitted');
    expect((await h.reports.getReport('guli', '2026-11'))?.notifiedAt).toBeDefined();
    const read = await h.monthly('tok-guli', { area: 'guli', month: '2026-11' });
    expect(read.body.status).toBe('late');
    // Both deliveries carry the same keys: the notifier sends each once.
    const keys = h.queue.messages.map((message) => (message as NoticeMessage).key);
    expect(new Set(keys)).toEqual(
      new Set(['monthly_report|town:guli|guli/2026-11', 'monthly_report|brigade|guli/2026-11']),
    );
  });
});

describe('the consolidated report', () => {
  it('has a row per bureau (frozen once it submitted) and the brigade’s own patrols; leaders see their district', async () => {
    const h = setup();
    november(h);
    h.patrols.patrols.push(
      patrol({ area: 'guli', kind: 'brigade', startedAt: at('2026-11-03T09:00:00') }),
      patrol({ area: 'meili', kind: 'spot_check', startedAt: at('2026-11-04T09:00:00') }),
      patrol({ area: 'meili', kind: 'supervision', startedAt: at('2026-11-06T09:00:00') }),
    );
    await h.submit('tok-guli', 'guli', '2026-11', { zeroReport: true });
    const city = await h.monthly('tok-brigade', { month: '2026-11' });
    expect(city.status).toBe(200);
    expect(city.body.bureaus.map((row: Json) => row.area)).toEqual([...AREA_IDS]);
    expect(city.body.bureaus.find((row: Json) => row.area === 'guli')).toMatchObject({
      status: 'submitted',
      zeroReport: true,
    });
    expect(city.body.bureaus.find((row: Json) => row.area === 'meili').figures.cases.new).toBe(2);
    expect(city.body.brigade).toMatchObject({
      total: 3,
      byKind: { brigade: 1, spot_check: 1, supervision: 1 },
      patrols: { required: 2, done: 2, met: true },
      supervision: { supervised: ['meili'] },
    });
    expect(city.body.totals.cases.new).toBe(2);

    const leader = await h.monthly('tok-leader-3', { month: '2026-11' });
    expect(leader.body.district).toBe('district-3');
    expect(leader.body.bureaus.map((row: Json) => row.area)).toEqual(['zhitang', 'dongbang', 'meili']);
    expect(leader.body.brigade.byKind).toEqual({ brigade: 0, spot_check: 1, supervision: 1 });
    expect((await h.monthly('tok-meili', { month: '2026-11' })).status).toBe(403);
  });

  it('is submitted by the brigade once the month is over, to the leadership and the superior detachment', async () => {
    const h = setup();
    november(h);
    expect((await h.submit('tok-meili', 'city', '2026-11', { analysis: 'x' })).status).toBe(403);
    const done = await h.submit('tok-brigade', 'city', '2026-11', { analysis: '全市巡查总体平稳。' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'submitted',
      submittedBy: 'brigade',
      analysis: '全市巡查总体平稳。',
    });
    expect(
      h
        .sentNotices()
        .map((n) => `${n.kind}|${n.audience}|${n.target}|${n.report}`)
        .sort(),
    ).toEqual([
      'monthly_report|leadership|leadership|city/2026-11',
      'monthly_report|superior|superior|city/2026-11',
    ]);
    h.cases.cases.push(meiliCase({ createdAt: at('2026-11-29T10:00:00') }));
    expect((await h.monthly('tok-brigade', { month: '2026-11' })).body.totals.cases.new).toBe(2);
    expect((await h.submit('tok-brigade', 'city', '2026-11', { analysis: 'y' })).body.error.code).toBe(
      'already_submitted',
    );
    h.clock.set('2026-12-15T10:00:00+08:00');
    const december = await h.submit('tok-brigade', 'city', '2026-12', {});
    expect(december.body.error.code).toBe('period_open');
  });
});

describe('GET /v1/assessments', () => {
  it('scores every bureau for the brigade, itself for a bureau, the district for a leader', async () => {
    const h = setup('2026-12-30T10:00:00+08:00');
    november(h);
    const brigade = await h.call('GET /v1/assessments', {
      token: 'tok-brigade',
      query: { quarter: '2026-Q4' },
    });
    expect(brigade.status).toBe(200);
    expect(brigade.body.quarter).toBe('2026-Q4');
    expect(brigade.body.bureaus).toHaveLength(AREA_IDS.length);
    const meili = brigade.body.bureaus.find((bureau: Json) => bureau.area === 'meili');
    expect(meili.items.map((item: Json) => [item.item, item.weight])).toEqual([
      ['patrol_frequency', 30],
      ['reports_on_time', 15],
      ['deadlines_met', 30],
      ['patrol_discovery', 15],
      ['ledger', 10],
    ]);
    // October's report (due 25 November) and November's (due 25 December) were due and never submitted.
    expect(meili.items[1]).toMatchObject({ score: 0, basis: '应报月报2份，按时报送0份，得分15×0/2=0' });
    expect(meili.items[3]).toMatchObject({ score: 15 });
    expect(meili.vetoed).toBe(false);
    const own = await h.call('GET /v1/assessments', { token: 'tok-meili', query: { quarter: '2026-Q4' } });
    expect(own.body.bureaus.map((bureau: Json) => bureau.area)).toEqual(['meili']);
    const leader = await h.call('GET /v1/assessments', {
      token: 'tok-leader-1',
      query: { quarter: '2026-Q4' },
    });
    expect(leader.body.bureaus.map((bureau: Json) => bureau.area)).toEqual(['guli', 'shajiabang', 'dongnan']);
    expect(
      (await h.call('GET /v1/assessments', { token: 'tok-partner', query: { quarter: '2026-Q4' } })).status,
    ).toBe(403);
  });

  it('flags a bureau with the year’s veto', async () => {
    const h = setup('2026-12-30T10:00:00+08:00');
    for (const caseId of ['case_a', 'case_b']) {
      await h.ledger.record({
        entryId: `${caseId}#close#criticism`,
        year: 2026,
        bureau: 'bureau:guli',
        kind: 'criticism',
        reason: 'deadline_breach',
        reasonLabel: '办理超时',
        dueAt: '2026-11-20T23:59:59+08:00',
        chief: 'unknown',
        officer: 'unknown',
        recordedAt: '2026-11-21T00:00:00.000Z',
      });
    }
    const { body } = await h.call('GET /v1/assessments', {
      token: 'tok-guli',
      query: { quarter: '2026-Q4' },
    });
    expect(body.bureaus[0]).toMatchObject({ area: 'guli', vetoed: true });
    expect(body.bureaus[0].items[4]).toMatchObject({ score: 0 });
  });

  it('asks for a quarter or a year, not both', async () => {
    const h = setup();
    const queries: Record<string, string>[] = [
      {},
      { quarter: '2026-Q4', year: '2026' },
      { quarter: '2026-Q5' },
    ];
    for (const query of queries) {
      const answer = await h.call('GET /v1/assessments', { token: 'tok-brigade', query });
      expect(answer.status).toBe(400);
      expect(answer.body.error.details[0].path).toBe('quarter');
    }
  });

  it('gives the year from its quarters and the satellite score the brigade enters', async () => {
    const h = setup('2026-12-30T10:00:00+08:00');
    const put = (token: Token, score: unknown, area = 'meili', year = '2026') =>
      h.call('PUT /v1/assessments/{year}/satellite/{area}', { token, path: { year, area }, body: { score } });
    expect((await put('tok-meili', 90)).status).toBe(403);
    expect((await put('tok-brigade', 101)).status).toBe(400);
    expect((await put('tok-brigade', 90, 'city')).status).toBe(404);
    expect((await put('tok-brigade', 90, 'meili', '26')).status).toBe(404);
    const stored = await put('tok-brigade', 90);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ year: 2026, area: 'meili', score: 90, enteredBy: 'brigade' });
    const { body } = await h.call('GET /v1/assessments', { token: 'tok-meili', query: { year: '2026' } });
    // REPORTING_START is 1 October: the year has one quarter to judge.
    expect(body.bureaus[0].quarters.map((q: Json) => q.quarter)).toEqual(['2026-Q4']);
    expect(body.bureaus[0].satellite).toBe(90);
    const quarterScore = body.bureaus[0].quarters[0].score;
    expect(body.bureaus[0].score).toBeCloseTo(0.8 * quarterScore + 18, 2);
  });
});

describe('spreadsheets', () => {
  const workbookOf = async (raw: APIGatewayProxyStructuredResultV2) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(String(raw.body), 'base64') as unknown as ExcelJS.Buffer);
    return book;
  };
  const valueAt = (json: Json, path: string) =>
    path.split('.').reduce<unknown>((value, key) => (value as Json | undefined)?.[key], json);

  it('serves the monthly report as xlsx: Chinese headers, frozen header row, a sheet per section, the JSON figures', async () => {
    const h = setup();
    november(h);
    const json = (await h.monthly('tok-meili', { area: 'meili', month: '2026-11' })).body;
    const file = await h.monthly('tok-meili', { area: 'meili', month: '2026-11', format: 'xlsx' });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="monthly-report-meili-2026-11.xlsx"; filename*=UTF-8''${encodeURIComponent('梅李镇国土分局2026年11月巡查月报.xlsx')}`,
    );
    expect(file.raw.isBase64Encoded).toBe(true);
    const book = await workbookOf(file.raw);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([
      '概况',
      '巡查',
      '案件',
      '办理时限',
      '催办回访',
    ]);
    let figures = 0;
    for (const sheet of book.worksheets) {
      expect(sheet.getRow(1).values).toEqual([undefined, '指标', '数值', '字段']);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getColumn(1).width).toBeGreaterThan(10);
      if (sheet.name === '概况') continue;
      sheet.eachRow((row, number) => {
        if (number === 1) return;
        const field = String(row.getCell(3).value);
        const expected = valueAt(json.figures, field) ?? (field.includes('Rate') ? null : 0);
        expect(row.getCell(2).value ?? null, field).toEqual(expected);
        figures += 1;
      });
    }
    expect(figures).toBeGreaterThan(30);
    const cases = book.getWorksheet('案件')!;
    const areaRow = cases
      .getRows(2, cases.rowCount - 1)!
      .find((row) => row.getCell(3).value === 'cases.areaMu')!;
    expect(areaRow.getCell(2).numFmt).toBe('0.00');
    const rate = book.getWorksheet('办理时限')!.getRow(4);
    expect([rate.getCell(1).value, rate.getCell(2).value, rate.getCell(2).numFmt]).toEqual([
      '巡查发现率',
      1,
      '0.0%',
    ]);
  });

  it('serves CSV with a byte-order mark, Chinese headers and CRLF lines; formulas are not run', async () => {
    const h = setup('2026-12-26T10:00:00+08:00');
    await h.submit('tok-guli', 'guli', '2026-11', { analysis: '=HYPERLINK("http://x")', zeroReport: true });
    const file = await h.monthly('tok-guli', { area: 'guli', month: '2026-11', format: 'csv' });
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toMatch(
      /filename="monthly-report-guli-2026-11\.csv"; filename\*=UTF-8''/,
    );
    const text = String(file.raw.body);
    expect(text.startsWith('\uFEFF类别,指标,数值,字段\r\n')).toBe(true);
    expect(text).toContain('\r\n概况,状态,逾期补报,status\r\n');
    expect(text).toContain(`概况,情况分析,"'=HYPERLINK(""http://x"")",analysis`);
    expect(text).toContain('案件,新发案件（起）,0,cases.new');
  });

  it('serves the consolidated report and the assessment as xlsx too', async () => {
    const h = setup('2026-12-30T10:00:00+08:00');
    november(h);
    const city = await h.monthly('tok-brigade', { month: '2026-11', format: 'xlsx' });
    const cityBook = await workbookOf(city.raw);
    expect(cityBook.worksheets.map((sheet) => sheet.name)).toEqual(['概况', '各分局月报', '大队巡查']);
    const rows = cityBook.getWorksheet('各分局月报')!;
    expect(rows.rowCount).toBe(1 + AREA_IDS.length + 1);
    expect(rows.getRow(1).getCell(1).value).toBe('分局');
    const meili = rows.getRows(2, AREA_IDS.length)!.find((row) => row.getCell(2).value === 'meili')!;
    const header = (name: string) => (rows.getRow(1).values as unknown[]).indexOf(name);
    expect(meili.getCell(header('新发案件')).value).toBe(2);
    expect(meili.getCell(header('巡查发现')).value).toBe(1);

    const assessment = await h.call('GET /v1/assessments', {
      token: 'tok-brigade',
      query: { quarter: '2026-Q4', format: 'xlsx' },
    });
    expect(assessment.headers['content-disposition']).toContain(
      encodeURIComponent('2026年第四季度百分考核.xlsx'),
    );
    const json = (
      await h.call('GET /v1/assessments', { token: 'tok-brigade', query: { quarter: '2026-Q4' } })
    ).body;
    const book = await workbookOf(assessment.raw);
    const summary = book.getWorksheet('考核汇总')!;
    expect(summary.getRow(1).values).toEqual([
      undefined,
      '分局',
      '代码',
      '巡查频次',
      '月报按时报送',
      '案件办理时限',
      '巡查发现率',
      '巡查台账（诫勉谈话、通报批评）',
      '总分',
      '一票否决',
    ]);
    for (const bureau of json.bureaus) {
      const row = summary.getRows(2, AREA_IDS.length)!.find((each) => each.getCell(2).value === bureau.area)!;
      expect(row.getCell(8).value).toBe(bureau.score);
    }
    const detail = book.getWorksheet('考核明细')!;
    expect(detail.getRow(2).getCell(6).value).toBe(json.bureaus[0].items[0].basis);
    const year = await h.call('GET /v1/assessments', {
      token: 'tok-brigade',
      query: { year: '2026', format: 'csv' },
    });
    expect(String(year.raw.body).startsWith('\uFEFF分局,代码,考核项目,分值,得分,依据,一票否决\r\n')).toBe(
      true,
    );
  });
});
