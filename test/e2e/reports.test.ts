/**
 * Monthly reports end to end on a local run (contract section 8): a routed tip counts in its
 * month's report; a month with no case is a zero report and must be submitted as one; a submission
 * sends exactly one copy to its town and one to the brigade; a report not submitted by its due
 * instant is overdue with one `report_overdue` per target and one `late_report` ledger entry
 * however many sweeps run; the xlsx opens and says what the JSON says; the brigade's consolidated
 * report goes to the leadership and the superior detachment. No real waiting: the local run's
 * clock is moved forward (as far as past the 25th of the next month) and the sweep is run by hand.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { AREA_IDS } from '../../shared/domain/model.js';
import { reportReminderAt } from '../../shared/domain/monthly-report.js';
import { type Period, periodContaining, previousPeriod } from '../../shared/domain/periods.js';
import type { Clock } from '../../shared/ports/index.js';
import { make12336Tip } from '../fixtures/tips.js';
import { testNow } from '../support/clock.js';
import {
  DEV_BRIGADE_TOKEN,
  startTestStack,
  submitAndRoute,
  type TestLocalStack,
} from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are asserted field by field.
type Json = Record<string, any>;

/** The local run's clock: the tests' "now", moved forward by the test when it says so. */
let offsetMs = 0;
const clock: Clock = { now: () => new Date(testNow().getTime() + offsetMs) };
const moveClockTo = (instant: string) => {
  offsetMs = Date.parse(instant) - testNow().getTime();
};

let stack: TestLocalStack;
const savedReportingStart = process.env.REPORTING_START;

beforeAll(async () => {
  // From the first day of last month: the month the tip lands in is decided even if the test
  // starts on a month's last second.
  process.env.REPORTING_START = previousPeriod(periodContaining('month', testNow())).firstDay;
  stack = await startTestStack({ clock });
});

afterAll(async () => {
  await stack?.cleanup();
  if (savedReportingStart === undefined) delete process.env.REPORTING_START;
  else process.env.REPORTING_START = savedReportingStart;
});

async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.token ?? DEV_BRIGADE_TOKEN}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const type = response.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    bytes,
    body: (type.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : {}) as Json,
  };
}

const report = (area: string, month: string, extra = '') =>
  call('GET', `/v1/reports/monthly?area=${area}&month=${month}${extra}`);
const submit = (area: string, month: string, body: unknown, token?: string) =>
  call('POST', `/v1/reports/monthly/${area}/${month}/submit`, { body, ...(token ? { token } : {}) });

/** The outbox lines about one report, as `kind|target`. */
async function noticesAbout(ref: string): Promise<string[]> {
  return (await readOutbox<Json>(stack.outboxFile))
    .filter((line) => line.report === ref)
    .map((line) => `${line.kind}|${line.target}`)
    .sort();
}

describe('monthly reports on a local run', () => {
  let month: Period;
  let caseId: string;

  it('counts a routed tip in its month’s cases.new', async () => {
    caseId = await submitAndRoute(stack, '12336', make12336Tip({ reportId: `e2e-reports-${Date.now()}` }));
    const { body: record } = await call('GET', `/v1/cases/${caseId}`);
    expect(record.area).toBe('shajiabang');
    month = periodContaining('month', record.createdAt);
    const { status, body } = await report('shajiabang', month.id);
    expect(status).toBe(200);
    expect(body.figures.cases).toMatchObject({ new: 1, bySource: { '12336': 1, patrol: 0 } });
    expect(body.zeroReport).toBe(false);
    expect(body.status).toBe(clock.now().getTime() < Date.parse(month.endsAt) ? 'open' : 'draft');
  });

  it('says zero report for a month with no case, and refuses a submission that says otherwise', async () => {
    moveClockTo(new Date(Date.parse(month.endsAt) + 60_000).toISOString());
    const draft = await report('guli', month.id);
    expect(draft.body).toMatchObject({ status: 'draft', zeroReport: true });
    const wrong = await submit('guli', month.id, { analysis: '本月未发现违法用地。', zeroReport: false });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('zero_report_mismatch');
    const wrongOther = await submit('shajiabang', month.id, { zeroReport: true });
    expect(wrongOther.body.error.code).toBe('zero_report_mismatch');
  });

  it('sends exactly one monthly_report to the town (and one to the brigade) for a submitted report', async () => {
    const done = await submit(
      'guli',
      month.id,
      { analysis: '本月未发现违法用地。', zeroReport: true },
      'dev-bureau-guli',
    );
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'submitted', zeroReport: true, submittedBy: 'bureau:guli' });
    const again = await submit('guli', month.id, { zeroReport: true });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_submitted');
    await stack.settle();
    expect(await noticesAbout(`guli/${month.id}`)).toEqual([
      'monthly_report|brigade',
      'monthly_report|town:guli',
    ]);
    const town = (await readOutbox<Json>(stack.outboxFile)).find(
      (line) => line.report === `guli/${month.id}` && line.target === 'town:guli',
    )!;
    expect(town).toMatchObject({ audience: 'town', kind: 'monthly_report' });
    expect(town.caseId).toBeUndefined();
    expect(town.sms).toContain('零报告');
  });

  it('reminds, then decides an unsubmitted report overdue once: one report_overdue per target, one late_report', async () => {
    const { body: draft } = await report('shajiabang', month.id);
    const dueAt: string = draft.dueAt;
    moveClockTo(new Date(Date.parse(reportReminderAt(dueAt, new WorkingCalendar())) + 60_000).toISOString());
    await stack.sweepNow();
    await stack.sweepNow();
    await stack.settle();
    expect(await noticesAbout(`shajiabang/${month.id}`)).toEqual(['report_reminder|bureau:shajiabang']);

    moveClockTo(new Date(Date.parse(dueAt) + 60_000).toISOString());
    for (let sweep = 0; sweep < 3; sweep++) {
      await stack.sweepNow();
      await stack.settle();
    }
    expect((await report('shajiabang', month.id)).body.status).toBe('overdue');
    expect(await noticesAbout(`shajiabang/${month.id}`)).toEqual([
      'report_overdue|brigade',
      'report_overdue|bureau:shajiabang',
      'report_reminder|bureau:shajiabang',
    ]);
    // The bureau that submitted on time gets neither.
    expect(await noticesAbout(`guli/${month.id}`)).toEqual([
      'monthly_report|brigade',
      'monthly_report|town:guli',
    ]);
    const ledger = await call('GET', `/v1/ledger?year=${dueAt.slice(0, 4)}&bureau=shajiabang`);
    // Last month's report (decided too, REPORTING_START being its first day) has its own entry.
    const late = ledger.body.entries.filter(
      (entry: Json) => entry.kind === 'late_report' && entry.report === `shajiabang/${month.id}`,
    );
    expect(late).toEqual([
      expect.objectContaining({
        entryId: `report#shajiabang/${month.id}`,
        bureau: 'bureau:shajiabang',
        reason: 'report_overdue',
        reasonLabel: '未按时报送月报',
        report: `shajiabang/${month.id}`,
      }),
    ]);
    expect(ledger.body.vetoes).toEqual([]);
  });

  it('serves the report as an xlsx that opens and says what the JSON says', async () => {
    const { body: json } = await report('shajiabang', month.id);
    const file = await report('shajiabang', month.id, '&format=xlsx');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(file.headers.get('content-disposition')).toContain(
      `filename="monthly-report-shajiabang-${month.id}.xlsx"`,
    );
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([
      '概况',
      '巡查',
      '案件',
      '办理时限',
      '催办回访',
    ]);
    let compared = 0;
    for (const sheet of book.worksheets.slice(1)) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      sheet.eachRow((row, number) => {
        if (number === 1) return;
        const field = String(row.getCell(3).value);
        const value = field
          .split('.')
          .reduce<unknown>((at, key) => (at as Json | undefined)?.[key], json.figures);
        expect(row.getCell(2).value ?? null, field).toEqual(value ?? (/Rate$/i.test(field) ? null : 0));
        compared += 1;
      });
    }
    expect(compared).toBeGreaterThan(30);
    const csv = await report('shajiabang', month.id, '&format=csv');
    expect(csv.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.bytes.toString('utf8')).toContain('案件,新发案件（起）,1,cases.new');
  });

  it('consolidates every bureau for the brigade and sends the city report to leadership and superior once', async () => {
    const { status, body } = await call('GET', `/v1/reports/monthly?month=${month.id}`);
    expect(status).toBe(200);
    expect(body.bureaus.map((row: Json) => row.area)).toEqual([...AREA_IDS]);
    expect(body.bureaus.find((row: Json) => row.area === 'guli').status).toBe('submitted');
    expect(body.bureaus.find((row: Json) => row.area === 'shajiabang').status).toBe('overdue');
    expect(body.totals.cases.new).toBe(1);
    const done = await submit('city', month.id, { analysis: '全市巡查总体平稳。' });
    expect(done.status).toBe(200);
    expect((await submit('city', month.id, {})).status).toBe(409);
    await stack.settle();
    expect(await noticesAbout(`city/${month.id}`)).toEqual([
      'monthly_report|leadership',
      'monthly_report|superior',
    ]);
  });
});
